package dev.rendezvous.signaling.control;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The web origins whose pages may open a socket ({@code rendezvous.allowed-origins}), compared as RFC 6454 origins:
 * scheme, host and port, case-insensitively, with the scheme's default port filled in. So {@code https://Meet.example.org:443/}
 * in the setting allows the {@code Origin: https://meet.example.org} a browser sends.
 *
 * <p>Browsers always send their page's origin, so the list stops other sites' pages from using the server
 * (cross-site WebSocket hijacking). A client that sends no {@code Origin} is no browser and passes: anything that is
 * not a browser can send whatever origin it likes, so refusing it would stop nobody. Who may do what is the business
 * of authentication, not of this header. An {@code Origin} that is no origin (a sandboxed page's {@code null}) is
 * refused while a list is set.
 */
public record AllowedOrigins(List<String> origins) {

    public AllowedOrigins {
        origins = origins.stream().map(origin -> normalized(origin).orElseThrow(() -> new IllegalArgumentException(
                Settings.PREFIX + "allowed-origins lists '" + origin + "', which is not an origin like https://meet.example.org")))
                .toList();
    }

    /** Whether a handshake that sent {@code origin} (null if it sent none) may proceed. */
    public boolean allows(String origin) {
        return origin == null || origins.isEmpty() || normalized(origin).filter(origins::contains).isPresent();
    }

    /** {@code scheme://host:port} in lower case, or empty if {@code text} is not an http(s) origin (a path of "/" is allowed). */
    static Optional<String> normalized(String text) {
        try {
            var uri = new URI(text.strip());
            var scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
            var path = uri.getRawPath();
            if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null
                    || (path != null && !path.isEmpty() && !path.equals("/"))) {
                return Optional.empty();
            }
            int port;
            if ("https".equals(scheme)) {
                port = uri.getPort() == -1 ? 443 : uri.getPort();
            } else if ("http".equals(scheme)) {
                port = uri.getPort() == -1 ? 80 : uri.getPort();
            } else {
                return Optional.empty();
            }
            return Optional.of(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port);
        } catch (URISyntaxException notAnOrigin) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return origins.isEmpty() ? "any" : String.join(",", origins);
    }
}
