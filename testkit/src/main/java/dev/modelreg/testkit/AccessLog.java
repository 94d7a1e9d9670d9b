package dev.modelreg.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Distribution's access log (Apache combined format on the registry's stdout), e.g.
 * {@code 127.0.0.1 - - [26/Nov/2026:11:12:17 +0000] "GET /v2/ HTTP/1.1" 200 2 "" "curl/7.88.1"}.
 * Only complete lines (ending in a newline) are parsed; the registry's other output is ignored.
 */
final class AccessLog {
    private static final Pattern LINE = Pattern.compile("^\\S+ \\S+ \\S+ \\[[^]]*] \"(\\S+) (\\S+) [^\"]*\" (\\d{3}) (\\d+|-)(?: .*)?$");
    private static final long SETTLE_MILLIS = 25;
    private static final int SETTLE_ROUNDS = 40;

    private final Path file;
    private int skip;

    AccessLog(Path file) {
        this.file = file;
    }

    /** Parses the complete lines now in the file (after the cleared ones). */
    synchronized List<Request> now() {
        List<Request> all = parse(readCompleteLines());
        return List.copyOf(all.subList(Math.min(skip, all.size()), all.size()));
    }

    /** Like {@link #now()} but waits until two reads {@value #SETTLE_MILLIS} ms apart agree (bounded). */
    List<Request> stable() {
        List<Request> last = now();
        for (int i = 0; i < SETTLE_ROUNDS; i++) {
            RegistryFixture.sleep(SETTLE_MILLIS);
            List<Request> next = now();
            if (next.size() == last.size()) return next;
            last = next;
        }
        return last;
    }

    List<Request> await(Predicate<List<Request>> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Request> current = now();
        while (!condition.test(current)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("registry access log did not reach the expected state within "
                        + timeout.toMillis() + " ms; requests so far:\n" + String.join("\n", current.stream().map(Request::toString).toList()));
            }
            RegistryFixture.sleep(20);
            current = now();
        }
        return current;
    }

    synchronized void clear() {
        skip = parse(readCompleteLines()).size();
    }

    static List<Request> parse(List<String> lines) {
        List<Request> out = new ArrayList<>();
        for (String line : lines) {
            Matcher m = LINE.matcher(line);
            if (!m.matches()) continue;
            String uri = m.group(2);
            int q = uri.indexOf('?');
            String path = q < 0 ? uri : uri.substring(0, q);
            if (!path.startsWith("/")) continue;
            out.add(new Request(m.group(1), path, Integer.parseInt(m.group(3)), m.group(4).equals("-") ? -1 : Long.parseLong(m.group(4))));
        }
        return out;
    }

    private List<String> readCompleteLines() {
        try {
            if (!Files.exists(file)) return List.of();
            String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            int end = text.lastIndexOf('\n');
            if (end < 0) return List.of();
            return text.substring(0, end).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read registry access log " + file, e);
        }
    }
}
