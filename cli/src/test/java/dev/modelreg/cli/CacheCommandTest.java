package dev.modelreg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.spec.Digest;
import dev.modelreg.spec.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In-process: {@code cache ls} (files, bytes, bytes shared per ref), {@code cache prune} (--dry-run, --older-than),
 * and {@code clear} freeing what it orphans, on a layout with two refs that share a file.
 */
class CacheCommandTest {
    @TempDir Path tmp;

    private Ran run(String... args) {
        return Ran.of(Map.of("MODELREG_CACHE", tmp.resolve("cache").toString(), "HOME", tmp.resolve("home").toString()), args);
    }

    private Ran ok(String... args) {
        Ran r = run(args);
        assertThat(r.code()).as(String.join(" ", args) + "\n" + r.err()).isZero();
        return r;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> json(String... args) {
        return Json.parseObject(ok(args).out().getBytes(StandardCharsets.UTF_8), "out");
    }

    private int blobFiles() throws Exception {
        try (Stream<Path> s = Files.list(tmp.resolve("cache/blobs/sha256"))) {
            return (int) s.count();
        }
    }

    /** An unreferenced blob put into the cache by hand, entered {@code ageDays} ago. */
    private Digest orphan(String text, int ageDays) throws Exception {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        Digest d = Digest.sha256Of(b);
        Path p = Files.write(tmp.resolve("cache/blobs/sha256").resolve(d.hex()), b);
        Files.setLastModifiedTime(p, FileTime.fromMillis(System.currentTimeMillis() - ageDays * 86_400_000L));
        return d;
    }

    @SuppressWarnings("unchecked")
    @Test
    void listsPrunesAndClearFreesWhatItOrphans() throws Exception {
        Path models = Files.createDirectories(tmp.resolve("models/m"));
        Files.writeString(models.resolve("mfsim.nam"), "BEGIN options\nEND options\n");
        Files.writeString(models.resolve("shared.dat"), "x".repeat(1 << 20)); // a layer of its own
        String layout = "oci-layout:" + tmp.resolve("layout");
        ok("push", tmp.resolve("models").toString(), layout + ":a", "--name", "ex");
        Files.writeString(models.resolve("mfsim.nam"), "BEGIN options\n  PRINT_INPUT\nEND options\n");
        ok("push", tmp.resolve("models").toString(), layout + ":b", "--name", "ex");
        Path config = Files.writeString(tmp.resolve("sources.toml"),
                "[sources.ex]\nname = \"ex\"\noci = \"" + layout + "\"\nrefs = [\"a\", \"b\"]\n");
        String c = config.toString();
        ok("pull", "--config", c, "ex@a", tmp.resolve("pa").toString());
        ok("pull", "--config", c, "ex@b", tmp.resolve("pb").toString());

        Map<String, Object> ls = json("cache", "ls", "--config", c, "--json");
        List<Map<String, Object>> refs = (List<Map<String, Object>>) ls.get("refs");
        assertThat(refs).extracting(r -> r.get("ref")).containsExactly("a", "b");
        for (Map<String, Object> r : refs) {
            assertThat(((Number) r.get("files")).intValue()).isEqualTo(2);
            assertThat(((Number) r.get("shared_bytes")).longValue()).as("the shared file").isGreaterThanOrEqualTo(1 << 20);
            assertThat(((Number) r.get("bytes")).longValue()).isGreaterThan(((Number) r.get("shared_bytes")).longValue());
        }
        assertThat(((Number) ls.get("unreferenced_blobs")).intValue()).isZero();
        assertThat(ok("cache", "ls", "--config", c).out()).contains("ex@a  2 files").contains("unreferenced: 0 blobs");

        // orphans: one old, one new; a dry run removes nothing; --older-than only the old one
        Digest old = orphan("old orphan", 40);
        Digest fresh = orphan("new orphan", 0);
        int before = blobFiles();
        String dry = ok("cache", "prune", "--config", c, "--dry-run").out();
        assertThat(dry).contains(old.toString()).contains(fresh.toString()).contains("Would remove 2 blobs");
        assertThat(blobFiles()).isEqualTo(before);
        Map<String, Object> p = json("cache", "prune", "--config", c, "--older-than", "30d", "--json");
        assertThat((List<Map<String, Object>>) p.get("removed")).extracting(m -> m.get("digest")).containsExactly(old.toString());
        assertThat(blobFiles()).isEqualTo(before - 1);
        assertThat(ok("cache", "prune", "--config", c).out()).startsWith("Removed 1 blobs");
        assertThat(blobFiles()).isEqualTo(before - 2);

        // clear of a ref frees what only it referenced; what b shares stays; b still pulls offline
        Map<String, Object> cleared = json("clear", "--config", c, "--source", "ex", "--ref", "a", "--force", "--json");
        assertThat(((Number) cleared.get("blobs_removed")).intValue()).as("a's manifest, config, own file layer").isPositive();
        assertThat(((Number) json("cache", "ls", "--config", c, "--json").get("unreferenced_blobs")).intValue()).isZero();
        ok("pull", "--config", c, "--offline", "ex@b", tmp.resolve("pb2").toString());
        // clearing every source leaves no blob
        ok("clear", "--config", c, "--source", "ex", "--force");
        assertThat(blobFiles()).isZero();
        assertThat(((Number) json("cache", "ls", "--config", c, "--json").get("blobs")).intValue()).isZero();
    }

    @Test
    void aBadDurationIsAUsageErrorOfOneLine() {
        Ran r = run("cache", "prune", "--older-than", "soon");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).contains("--older-than").contains("soon");
        assertThat(run("cache", "prune", "--older-than", "-P1D").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(run("cache").code()).isEqualTo(ExitCodes.USAGE);
    }
}
