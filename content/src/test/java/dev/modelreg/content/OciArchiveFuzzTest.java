package dev.modelreg.content;

import dev.modelreg.content.fs.Trees;
import dev.modelreg.content.store.OciArchive;
import dev.modelreg.content.store.OciLayout;
import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.spec.Digest;
import dev.modelreg.testkit.Fuzz;
import dev.modelreg.testkit.TarMutator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bounded fuzzing of the OCI archive reader: an archive exported by modelreg (two tags) and the same entries re-tarred
 * by commons-compress ("./" names, directories, other order), mutated by {@link TarMutator} or rebuilt with index.json,
 * oci-layout or a manifest edited. Each input is opened and every tag copied out (the mirror's path); it must be
 * refused with a ContentException, or read correctly: every blob copied out is byte for byte a blob of the seed. Never
 * another throwable, a hang or more than 256 MiB allocated. 1000 cases by default (see {@link Fuzz} for longer runs).
 */
class OciArchiveFuzzTest {
    static final String[] JSON_TOKENS = {"{", "}", "[", "]", "\"", ":", ",", "0", "-1", "1e999", "99999999999999999999",
            "null", "true", "\"\"", "\\u0000", "\u0000", "é", "[".repeat(100), "{\"a\":".repeat(80), "\"size\":", "\"digest\":",
            "\"mediaType\":", "\"manifests\":", "\"sha256:", "\"annotations\":{\"org.opencontainers.image.ref.name\":\"../x\"}",
            "\"imageLayoutVersion\":\"2.0.0\"", "\"schemaVersion\":3,", "\"size\":9223372036854775807"};

    @TempDir Path tmp;

    /** The seed archives, the bytes of every blob they hold (by digest), and their entries (name -> bytes; null for a directory). */
    record Seeds(List<byte[]> archives, Map<Digest, byte[]> blobs, List<Map<String, byte[]>> entries) {}

    Seeds seeds() throws IOException {
        OciLayout src = OciLayout.open(tmp.resolve("src"));
        Map<Digest, byte[]> blobs = new HashMap<>();
        Path archive = tmp.resolve("seed.tar");
        for (int k = 0; k < 2; k++) {
            Blobs.Artifact art = Blobs.artifact(71 + k, 2 + k);
            art.pushTo(src);
            src.tag(art.root(), "v" + k);
            art.blobs().forEach((d, b) -> blobs.put(d.digest(), b));
            blobs.put(art.root().digest(), art.manifestBytes());
            try (Targets.Opened dst = Targets.open(Targets.parse(OciArchive.PREFIX + archive + ":v" + k), RegistryOptions.defaults())) {
                Copy.copy(src, "v" + k, dst.target(), dst.reference(), CopyOptions.defaults());
                dst.commit();
            }
        }
        byte[] own = Files.readAllBytes(archive);
        Map<String, byte[]> entries = entries(own);
        // the same content as another tool might write it: "./" names, directories first, blobs in reverse order
        List<String> names = new ArrayList<>(entries.keySet());
        java.util.Collections.reverse(names);
        ByteArrayOutputStream other = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(other)) {
            t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            t.putArchiveEntry(new TarArchiveEntry("./"));
            t.closeArchiveEntry();
            for (String n : names) {
                byte[] b = entries.get(n);
                TarArchiveEntry e = new TarArchiveEntry("./" + n);
                if (b != null) e.setSize(b.length);
                t.putArchiveEntry(e);
                if (b != null) t.write(b);
                t.closeArchiveEntry();
            }
        }
        List<byte[]> archives = List.of(own, other.toByteArray());
        return new Seeds(archives, blobs, List.of(entries, entries(archives.get(1))));
    }

    static Map<String, byte[]> entries(byte[] tar) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (TarArchiveInputStream t = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            for (TarArchiveEntry e; (e = t.getNextEntry()) != null; ) out.put(e.getName(), e.isDirectory() ? null : t.readAllBytes());
        }
        return out;
    }

    /** The entries again as a plain ustar tar, with one JSON file (index.json, oci-layout or a manifest) edited. */
    static byte[] withEditedJson(Map<String, byte[]> entries, Map<Digest, byte[]> blobs, Random rnd) {
        List<String> json = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            if (e.getValue() != null && e.getValue().length > 0 && e.getValue()[0] == '{') json.add(e.getKey());
        }
        String target = rnd.nextInt(3) > 0 ? json.stream().filter(n -> n.endsWith("index.json")).findFirst().orElse(json.get(0))
                : json.get(rnd.nextInt(json.size()));
        List<Digest> digests = new ArrayList<>(blobs.keySet());
        digests.sort(null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            byte[] b = e.getValue();
            if (e.getKey().equals(target)) b = editJson(b, digests, rnd).getBytes(StandardCharsets.UTF_8);
            out.writeBytes(TarMutator.entry(e.getKey(), (byte) (b == null ? '5' : '0'), b == null ? new byte[0] : b, ""));
        }
        out.writeBytes(new byte[2 * TarMutator.BLOCK]);
        return out.toByteArray();
    }

    static String editJson(byte[] bytes, List<Digest> digests, Random rnd) {
        StringBuilder s = new StringBuilder(new String(bytes, StandardCharsets.UTF_8));
        for (int n = 1 + rnd.nextInt(2); n > 0; n--) {
            int at = rnd.nextInt(s.length() + 1);
            switch (rnd.nextInt(6)) {
                case 0 -> { // a digest pointed at another blob (a layer, the config, the other manifest)
                    int d = s.indexOf("sha256:", rnd.nextInt(s.length() + 1));
                    if (d < 0) d = s.indexOf("sha256:");
                    if (d >= 0 && d + 71 <= s.length()) s.replace(d, d + 71, digests.get(rnd.nextInt(digests.size())).toString());
                }
                case 1 -> { // a number changed (sizes)
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"size\":[0-9]+").matcher(s);
                    List<int[]> found = new ArrayList<>();
                    while (m.find()) found.add(new int[] {m.start(), m.end()});
                    if (!found.isEmpty()) {
                        int[] f = found.get(rnd.nextInt(found.size()));
                        String[] sizes = {"0", "1", "-1", "4194305", "9223372036854775807", "1e3", "\"12\""};
                        s.replace(f[0], f[1], "\"size\":" + sizes[rnd.nextInt(sizes.length)]);
                    }
                }
                case 2 -> s.insert(at, JSON_TOKENS[rnd.nextInt(JSON_TOKENS.length)]);
                case 3 -> { if (at < s.length()) s.deleteCharAt(at); }
                case 4 -> s.setLength(at); // truncated
                default -> { if (at < s.length()) s.setCharAt(at, JSON_TOKENS[rnd.nextInt(JSON_TOKENS.length)].charAt(0)); }
            }
        }
        return s.toString();
    }

    /** Opens the archive and copies every tag out, as mirror does; accepted only if all of it verified. */
    void read(byte[] input, int i, Map<Digest, byte[]> blobs) throws IOException {
        Path file = tmp.resolve("case.tar");
        Path out = tmp.resolve("out");
        Files.write(file, input);
        try (OciArchive a = OciArchive.open(file)) {
            List<String> tags = a.tags();
            for (String tag : tags.subList(0, Math.min(tags.size(), 3))) {
                Trees.delete(out);
                OciLayout dst = OciLayout.open(out);
                CopyResult r = Copy.copy(a, tag, dst, null, CopyOptions.defaults());
                // what was accepted is the seed's content: every blob copied out is a blob of the seed, byte for byte
                assertThat(blobs).as("root of tag %s", tag).containsKey(r.root().digest());
                try (Stream<Path> s = Files.walk(out.resolve("blobs"))) {
                    for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
                        Digest d = Digest.parse(p.getParent().getFileName() + ":" + p.getFileName());
                        assertThat(blobs).as("blob %s of tag %s", d, tag).containsKey(d);
                        assertThat(Files.readAllBytes(p)).as("blob %s", d).isEqualTo(blobs.get(d));
                    }
                }
            }
        } finally {
            Trees.delete(out);
        }
    }

    @Test
    void seedsAreReadWithEveryBlob() throws IOException {
        Seeds seeds = seeds();
        for (byte[] archive : seeds.archives()) {
            Files.write(tmp.resolve("case.tar"), archive);
            try (OciArchive a = OciArchive.open(tmp.resolve("case.tar"))) {
                assertThat(a.tags()).containsExactly("v0", "v1");
                OciLayout dst = OciLayout.open(tmp.resolve("all"));
                for (String tag : a.tags()) Copy.copy(a, tag, dst, tag, CopyOptions.defaults());
            }
            for (Map.Entry<Digest, byte[]> b : seeds.blobs().entrySet()) {
                assertThat(Files.readAllBytes(tmp.resolve("all/blobs/sha256/" + b.getKey().hex()))).isEqualTo(b.getValue());
            }
            Trees.delete(tmp.resolve("all"));
        }
        assertThat(seeds.entries().get(1).keySet()).anyMatch(n -> n.startsWith("./blobs/sha256/"));
    }

    @Test
    void mutatedArchivesAreReadCorrectlyOrRefusedCleanly() throws IOException {
        Seeds seeds = seeds();
        try (Fuzz fuzz = Fuzz.of("oci-archive", 20261213L, 1000)) {
            Fuzz.Report report = fuzz.run(
                    (rnd, i) -> {
                        int k = rnd.nextInt(seeds.archives().size());
                        byte[] tar = rnd.nextInt(5) < 2 ? withEditedJson(seeds.entries().get(k), seeds.blobs(), rnd) : seeds.archives().get(k);
                        return rnd.nextInt(5) < 2 && tar != seeds.archives().get(k) ? tar : TarMutator.mutate(tar, rnd);
                    },
                    (input, i) -> read(input, i, seeds.blobs()),
                    t -> t instanceof ContentException);
            report.print();
            assertThat(report.accepted()).as("accepted").isGreaterThan(report.cases() / 20);
            assertThat(report.refused()).as("refused").isGreaterThan(report.cases() / 5);
            assertThat(report.refusals().size()).as("kinds of refusal").isGreaterThanOrEqualTo(10);
        }
    }
}
