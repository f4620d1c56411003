package dev.rendezvous.signaling.control;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Timers that fire only when the test moves time on ({@link #advance}), on the test's thread: graces end exactly
 * when a test says so, and never while it is looking.
 */
final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {

    private final List<Task> tasks = new ArrayList<>();
    private long now;

    /** Moves time on by {@code by}, running every task that falls due, in order. */
    void advance(Duration by) {
        var until = now + by.toNanos();
        while (true) {
            var due = tasks.stream().filter(task -> !task.cancelled && task.at <= until).min(Comparator.comparingLong(task -> task.at));
            if (due.isEmpty()) {
                break;
            }
            var task = due.get();
            now = task.at;
            task.command.run();
            if (task.period > 0 && !task.cancelled) {
                task.at += task.period;
            } else {
                tasks.remove(task);
            }
        }
        now = until;
    }

    /** Tasks scheduled and not yet run or cancelled. */
    long pending() {
        return tasks.stream().filter(task -> !task.cancelled).count();
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        var task = new Task(command, now + unit.toNanos(delay));
        tasks.add(task);
        return task;
    }

    private final class Task implements ScheduledFuture<Object> {
        final Runnable command;
        /** 0 for a task that runs once. */
        final long period;
        long at;
        boolean cancelled;

        Task(Runnable command, long at) {
            this(command, at, 0);
        }

        Task(Runnable command, long at, long period) {
            this.command = command;
            this.at = at;
            this.period = period;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(at - now, TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            cancelled = true;
            return tasks.remove(this);
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return cancelled || !tasks.contains(this);
        }

        @Override
        public Object get() {
            throw new UnsupportedOperationException("nothing waits on these timers");
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            throw new UnsupportedOperationException("nothing waits on these timers");
        }
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        var task = new Task(command, now + unit.toNanos(initialDelay), unit.toNanos(period));
        tasks.add(task);
        return task;
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void shutdown() {
        tasks.clear();
    }

    @Override
    public List<Runnable> shutdownNow() {
        tasks.clear();
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }

    @Override
    public void execute(Runnable command) {
        command.run();
    }
}
