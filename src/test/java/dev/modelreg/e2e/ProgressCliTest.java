package dev.modelreg.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.testkit.RegistryFixture;
import dev.modelreg.testkit.Request;
import dev.modelreg.testkit.ThrottleProxy;
import dev.modelreg.testkit.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live progress display as a terminal shows it: each command runs under a pseudo-terminal made by {@code script}
 * (stdout and stderr both on it), through a proxy that slows the registry's bytes (both ways for push) so the display
 * is drawn. The terminal stream is cut into what it draws: every frame is a whole frame of the documented shape, a line
 * of the command's own never shares a line with a frame, no frame is drawn after the last one (which ends its line),
 * frames after the transfers show the command's phase instead of an ETA, and the last frame counts exactly the blobs
 * and bytes the registry's access log shows moved. Absent when stderr is a file, with {@code --json}, with {@code --quiet}.
 */
class ProgressCliTest {
    private static final long MIB = 1 << 20;
    private static final Pattern FRAME = Pattern.compile("(?<task>[a-z]+) +(?<pct>\\d+)% \\[(?<bar>[█▉▊▋▌▍▎▏ ]{20})\\] "
            + "(?<done>[\\d.]+)/(?<total>[\\d.]+) (?<unit>B|KiB|MiB|GiB)  (?<rate>[\\d.]+) (?<runit>B|KiB|MiB|GiB)/s  "
            + "(?<elapsed>\\d+:\\d\\d)(?: ETA (?<eta>\\d+:\\d\\d)|  (?<phase>[a-z][a-z ]*[a-z]))?  (?<moved>\\d+)/(?<blobs>\\d+) blobs");
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

    @TempDir Path tmp;

    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** What the terminal received while {@code modelreg ARGS} ran under script. */
    Modelreg.Run underTerminal(Map<String, String> env, String... args) throws Exception {
        Path script = Tools.require("/usr/bin/script", "bsdutils");
        List<String> cmd = new ArrayList<>();
        for (String a : Modelreg.command(Modelreg.FAST_JVM, args)) cmd.add(quote(a));
        Map<String, String> e = new HashMap<>(Map.of("TERM", "xterm", "LANG", "C.UTF-8", "COLUMNS", "140"));
        e.putAll(env);
        Modelreg.Run r = Modelreg.startCommand(tmp, tmp, e, List.of(script.toString(), "-qec", String.join(" ", cmd), "/dev/null"),
                "modelreg " + String.join(" ", args) + " under script").finish();
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        return r;
    }

    /** The blobs the registry sent since the last clear (GET, 200/206), by digest. */
    static Set<String> downloaded(RegistryFixture reg) {
        Set<String> digests = new LinkedHashSet<>();
        for (Request q : reg.requests()) {
            if (q.method().equals("GET") && q.path().contains("/blobs/sha256:") && (q.status() == 200 || q.status() == 206)) {
                Matcher m = DIGEST.matcher(q.path());
                if (m.find()) digests.add(m.group());
            }
        }
        return digests;
    }

    /** The blobs taken by completed uploads (PUT, 201) since the last clear: their number. */
    static long uploads(RegistryFixture reg) {
        return reg.requests().stream().filter(q -> q.method().equals("PUT") && q.path().contains("/blobs/uploads/")
                && q.status() == 201).count();
    }

    /**
     * Checks the terminal stream of one command and returns its last frame: whole frames only, lines of the command's
     * own (and its result) on lines of their own, nothing drawn after the last frame, the phase once all blobs moved.
     */
    static Matcher checkFrames(String tty, String task, String phase) {
        List<Matcher> frames = new ArrayList<>();
        List<String> shown = new ArrayList<>(); // what stays on screen, line by line
        boolean ended = false;
        for (String line : tty.replace("\r\n", "\n").split("\n", -1)) {
            String visible = "";
            for (String segment : line.split("\r", -1)) {
                String s = segment.endsWith("\033[K") ? segment.substring(0, segment.length() - 3) : segment;
                if (s.startsWith("\033[K")) s = s.substring(3);
                Matcher f = FRAME.matcher(s);
                if (f.matches()) {
                    assertThat(ended).as("a frame drawn after the last one:\n" + tty).isFalse();
                    assertThat(f.group("task")).isEqualTo(task);
                    frames.add(f);
                } else {
                    assertThat(s).as("text glued to a frame, or a frame cut:\n" + s).doesNotContainPattern("\\d+/\\d+ blobs")
                            .doesNotContain("█").doesNotContain("% [");
                    assertThat(s).as("control characters left in a line").doesNotContain("\033");
                }
                if (!s.isEmpty() || segment.endsWith("\033[K")) visible = s;
            }
            if (!frames.isEmpty() && FRAME.matcher(visible).matches()) ended = true; // a frame left on screen: the last
            shown.add(visible);
        }
        assertThat(frames).as(task + ": frames drawn\n" + tty).isNotEmpty();
        Matcher last = frames.get(frames.size() - 1);
        long framesOnScreen = shown.stream().filter(l -> FRAME.matcher(l).matches()).count();
        assertThat(framesOnScreen).as("one frame stays on screen, the last, on a line of its own\n" + tty).isEqualTo(1);
        String previousElapsed = "0:00";
        for (Matcher f : frames) {
            int moved = Integer.parseInt(f.group("moved"));
            int blobs = Integer.parseInt(f.group("blobs"));
            assertThat(moved).as(f.group()).isLessThanOrEqualTo(blobs);
            assertThat(seconds(f.group("elapsed"))).as("elapsed time never goes back").isGreaterThanOrEqualTo(seconds(previousElapsed));
            previousElapsed = f.group("elapsed");
            double done = Double.parseDouble(f.group("done"));
            double total = Double.parseDouble(f.group("total"));
            assertThat(Integer.parseInt(f.group("pct"))).as(f.group()).isBetween((int) (done / total * 100) - 1, (int) Math.ceil(done / total * 100) + 1);
            long cells = f.group("bar").chars().filter(c -> c == '█').count();
            assertThat(cells).as(f.group()).isBetween((long) (done / total * 20) - 1, (long) (done / total * 20) + 1);
            if (f != last && moved == blobs) assertThat(f.group("phase")).as("after the transfers: the phase\n" + f.group()).isEqualTo(phase);
            if (f != last && moved < blobs) assertThat(f.group("phase")).as(f.group()).isNull();
        }
        assertThat(last.group("eta")).as(last.group()).isNull();
        assertThat(last.group("phase")).as(last.group()).isNull();
        assertThat(last.group("pct")).isEqualTo("100");
        assertThat(last.group("moved")).isEqualTo(last.group("blobs"));
        // the rate is the transfer's: never below the bytes over the whole elapsed time (it was halved by a phase)
        double rate = Double.parseDouble(last.group("rate")) * scale(last.group("runit"));
        double bytes = Double.parseDouble(last.group("total")) * scale(last.group("unit"));
        assertThat(rate * (seconds(last.group("elapsed")) + 1)).as(last.group()).isGreaterThanOrEqualTo(bytes * 0.95);
        return last;
    }

    static long seconds(String clock) {
        String[] p = clock.split(":");
        return Long.parseLong(p[0]) * 60 + Long.parseLong(p[1]);
    }

    static double scale(String unit) {
        return switch (unit) {
            case "KiB" -> 1024;
            case "MiB" -> MIB;
            case "GiB" -> 1024.0 * MIB;
            default -> 1;
        };
    }

    /** The last frame counts exactly the blobs the registry moved, and their bytes. */
    static void countsWhatMoved(Matcher last, Set<String> digests, Map<String, Long> sizes) {
        assertThat(Integer.parseInt(last.group("blobs"))).as(last.group() + " vs the registry's " + digests).isEqualTo(digests.size());
        long bytes = digests.stream().mapToLong(sizes::get).sum();
        String unit = bytes < 1024 ? "B" : bytes < MIB ? "KiB" : bytes < 1024 * MIB ? "MiB" : "GiB";
        assertThat(last.group("unit")).isEqualTo(unit);
        assertThat(last.group("total")).isEqualTo(unit.equals("B") ? Long.toString(bytes) : String.format(Locale.ROOT, "%.1f", bytes / scale(unit)));
        assertThat(last.group("done")).isEqualTo(last.group("total"));
    }

    @Test
    void everyTransferCommandDrawsCleanFramesThatCountWhatMoved() throws Exception {
        Path models = Files.createDirectories(tmp.resolve("models/big"));
        Files.writeString(models.resolve("mfsim.nam"), "BEGIN options\nEND options\n");
        byte[] weights = new byte[12 << 20];
        new Random(3).nextBytes(weights);
        Files.write(models.resolve("weights.bin"), weights);
        Path small = Files.createDirectories(tmp.resolve("models/small"));
        Files.writeString(small.resolve("mfsim.nam"), "BEGIN options\nEND options\n");
        for (int i = 0; i < 60; i++) Files.writeString(small.resolve("input-" + i + ".txt"), ("line " + i + "\n").repeat(40));
        try (RegistryFixture reg = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("reg"));
             ThrottleProxy slow = ThrottleProxy.startBothWays(reg.port(), 6 * MIB)) {
            String ref = slow.host() + "/models/p:v1";
            Map<String, String> env = Map.of("MODELREG_CACHE", tmp.resolve("c-push").toString());

            Modelreg.Run push = underTerminal(env, "push", tmp.resolve("models").toString(), ref, "--name", "ex");
            Map<String, Long> sizes = sizes(reg, "models/p", "v1");
            Matcher last = checkFrames(push.out(), "push", "tagging");
            assertThat(uploads(reg)).as("into an empty registry every blob is uploaded").isEqualTo(sizes.size());
            countsWhatMoved(last, sizes.keySet(), sizes);
            assertThat(push.out()).as("the digest on a line of its own, after the display").containsPattern("\\n" + DIGEST + "\\r?\\n");

            reg.clearRequests();
            Modelreg.Run pull = underTerminal(Map.of("MODELREG_CACHE", tmp.resolve("c-pull").toString()), "pull", ref,
                    tmp.resolve("pulled").toString());
            countsWhatMoved(checkFrames(pull.out(), "pull", "committing"), downloaded(reg), sizes);
            assertThat(pull.out()).containsPattern("\\n" + DIGEST + " 63 files -> ");

            reg.clearRequests();
            Modelreg.Run copy = underTerminal(Map.of("MODELREG_CACHE", tmp.resolve("c-copy").toString()), "copy", "--from", ref,
                    "ex/big", tmp.resolve("ws").toString());
            countsWhatMoved(checkFrames(copy.out(), "copy", "committing"), downloaded(reg), sizes);

            reg.clearRequests();
            Path archive = tmp.resolve("all.tar");
            Modelreg.Run mirror = underTerminal(Map.of("MODELREG_CACHE", tmp.resolve("c-mirror").toString()), "mirror", ref,
                    "oci-archive:" + archive + ":v1");
            countsWhatMoved(checkFrames(mirror.out(), "mirror", "writing the archive"), downloaded(reg), sizes);
            assertThat(archive).isRegularFile();

            // sync fetches the registry file (models.toml) alone: slow the proxy so that it is drawn
            slow.rate(2048);
            reg.clearRequests();
            Path config = Files.writeString(tmp.resolve("sources.toml"), "[sources.ex]\nname = \"ex\"\noci = \"" + slow.host()
                    + "/models/p\"\nrefs = [\"v1\"]\n");
            Modelreg.Run sync = underTerminal(Map.of("MODELREG_CACHE", tmp.resolve("c-sync").toString(),
                    "MODELREG_CONFIG", config.toString()), "sync");
            countsWhatMoved(checkFrames(sync.out(), "sync", "committing"), downloaded(reg), sizes);
            slow.rate(6 * MIB);

            // stderr not a terminal, --json, --quiet: no display
            Modelreg.Run file = Modelreg.ok(Modelreg.run(tmp, Modelreg.FAST_JVM, Map.of("MODELREG_CACHE", tmp.resolve("c2").toString()),
                    "pull", ref, tmp.resolve("file").toString()));
            assertThat(file.err()).doesNotContain("MiB/s").doesNotContain("\r");
            for (String flag : List.of("--json", "--quiet")) {
                Modelreg.Run quiet = underTerminal(Map.of("MODELREG_CACHE", tmp.resolve("c" + flag).toString()),
                        "pull", ref, tmp.resolve("q" + flag).toString(), flag);
                assertThat(quiet.out()).as(flag).doesNotContain("MiB/s").doesNotContain("blobs");
            }
        }
    }

    /** The sizes of the config and layers of REPOSITORY:TAG, read from the registry with an independent client. */
    static Map<String, Long> sizes(RegistryFixture reg, String repository, String tag) {
        byte[] manifest = new dev.modelreg.testkit.RegistryHttp(reg).getManifest(repository, tag, "application/vnd.oci.image.manifest.v1+json");
        dev.modelreg.spec.Manifest m = dev.modelreg.spec.Manifest.parse(manifest, "manifest");
        Map<String, Long> sizes = new HashMap<>();
        sizes.put(m.config().digest().toString(), m.config().size());
        m.layers().forEach(l -> sizes.put(l.digest().toString(), l.size()));
        return sizes;
    }
}
