package dev.rendezvous.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The server under load, as the operating system sees it: found by the port it listens on, so any server on this
 * machine can be measured (a JVM or not). CPU time and resident memory come from {@code /proc}; for a JVM, the live
 * heap comes from {@code jcmd}.
 */
public final class ServerProcess {

    /** Linux reports CPU time in USER_HZ ticks, 100 a second on every architecture Java runs on. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    public final long pid;
    public final String command;
    private String heapUnavailable;

    private ServerProcess(long pid) {
        this.pid = pid;
        this.command = read(Path.of("/proc", Long.toString(pid), "comm")).strip();
    }

    /** The process listening on {@code port} on this machine. */
    public static ServerProcess listeningOn(int port) {
        var sockets = listeningSockets(port);
        if (sockets.isEmpty()) {
            throw new IllegalStateException("nothing on this machine listens on port " + port);
        }
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            return processes.filter(dir -> dir.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(dir -> ownsAny(dir, sockets))
                    .findFirst()
                    .map(dir -> new ServerProcess(Long.parseLong(dir.getFileName().toString())))
                    .orElseThrow(() -> new IllegalStateException("no process of this user owns the socket on port " + port));
        } catch (IOException unreadable) {
            throw new IllegalStateException("cannot read /proc", unreadable);
        }
    }

    public static ServerProcess withPid(long pid) {
        return new ServerProcess(pid);
    }

    /** CPU time the whole process has used, user and system, in nanoseconds. */
    public long cpuNanos() {
        var stat = read(Path.of("/proc", Long.toString(pid), "stat"));
        // the command name, in parentheses, may hold spaces: count fields from after its closing parenthesis
        var fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        var utime = Long.parseLong(fields[11]);
        var stime = Long.parseLong(fields[12]);
        return (utime + stime) * NANOS_PER_TICK;
    }

    /** How many files and sockets the process has open. */
    public int openFiles() {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return (int) fds.count();
        } catch (IOException unreadable) {
            throw new IllegalStateException("cannot read the open files of process " + pid, unreadable);
        }
    }

    /** How many threads the process has. */
    public int threads() {
        return read(Path.of("/proc", Long.toString(pid), "status")).lines()
                .filter(line -> line.startsWith("Threads:"))
                .map(line -> Integer.parseInt(line.replaceAll("\\D", "")))
                .findFirst().orElseThrow();
    }

    /** Resident set size, in bytes. */
    public long rssBytes() {
        return read(Path.of("/proc", Long.toString(pid), "status")).lines()
                .filter(line -> line.startsWith("VmRSS:"))
                .map(line -> Long.parseLong(line.replaceAll("\\D", "")) * 1024)
                .findFirst().orElseThrow();
    }

    /**
     * Live heap, in bytes: {@code jcmd GC.class_histogram} runs a full GC and totals what survives. Empty if the server
     * is no HotSpot JVM (or refuses the attach); {@link #heapUnavailable()} then says why.
     */
    public OptionalLong heapAfterGc() {
        if (heapUnavailable != null) {
            return OptionalLong.empty();
        }
        try {
            var jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(pid), "GC.class_histogram").redirectErrorStream(true).start();
            var output = new String(jcmd.getInputStream().readAllBytes());
            if (jcmd.waitFor() == 0) {
                var total = output.lines().filter(line -> line.startsWith("Total")).findFirst();
                if (total.isPresent()) {
                    return OptionalLong.of(Long.parseLong(total.get().strip().split("\\s+")[2]));
                }
            }
            heapUnavailable = "heap not readable: jcmd said " + output.lines().findFirst().orElse("nothing");
        } catch (IOException | RuntimeException failed) {
            heapUnavailable = "heap not readable: " + failed;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            heapUnavailable = "heap not read: interrupted";
        }
        return OptionalLong.empty();
    }

    /** Why {@link #heapAfterGc()} is empty, or null. */
    public String heapUnavailable() {
        return heapUnavailable;
    }

    /** Inodes of the sockets listening on {@code port}, from the kernel's IPv4 and IPv6 tables. */
    private static Set<String> listeningSockets(int port) {
        var inodes = new HashSet<String>();
        var local = String.format(":%04X", port);
        for (var table : new String[]{"/proc/net/tcp", "/proc/net/tcp6"}) {
            var path = Path.of(table);
            if (!Files.exists(path)) {
                continue;
            }
            read(path).lines().skip(1).map(String::strip).map(line -> line.split("\\s+"))
                    .filter(fields -> fields[1].endsWith(local) && "0A".equals(fields[3])) // 0A: LISTEN
                    .forEach(fields -> inodes.add(fields[9]));
        }
        return inodes;
    }

    private static boolean ownsAny(Path process, Set<String> socketInodes) {
        try (Stream<Path> fds = Files.list(process.resolve("fd"))) {
            return fds.anyMatch(fd -> {
                try {
                    var target = Files.readSymbolicLink(fd).toString();
                    return target.startsWith("socket:[") && socketInodes.contains(target.substring(8, target.length() - 1));
                } catch (IOException gone) {
                    return false;
                }
            });
        } catch (IOException | SecurityException notOurs) {
            return false;
        }
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException unreadable) {
            throw new IllegalStateException("cannot read " + path, unreadable);
        }
    }
}
