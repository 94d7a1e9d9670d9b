package dev.modelreg.consumer;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.modelreg.spec.Annotations;
import dev.modelreg.spec.BootstrapConfig;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.FileEntry;
import dev.modelreg.spec.Limits;
import dev.modelreg.spec.MediaTypes;
import dev.modelreg.spec.ModelsToml;
import dev.modelreg.spec.ModelsTomlCodec;
import dev.modelreg.testkit.HostileRegistry;
import dev.modelreg.testkit.HostileRegistry.Body;
import dev.modelreg.testkit.HostileRegistry.Served;
import dev.modelreg.testkit.HostileRegistry.Tar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pulls from a registry that lies ({@link HostileRegistry}): every limit of section 14 holds before the bytes are
 * fetched (counted on the server) or while they stream, every refusal is one line naming the limit, the value and
 * the thing, and nothing unverified or outside the target is ever written: the target does not exist afterwards,
 * nothing is left beside it, and every blob in the cache is what its name says.
 */
@Timeout(30)
class HostileRegistryTest {
    static final String REPO = "models/hostile";
    static final byte[] NAM = "BEGIN options\nEND options\n".getBytes(UTF_8);
    static final byte[] DIS = "BEGIN dimensions\n  NLAY 1\nEND dimensions\n".getBytes(UTF_8);

    @TempDir Path tmp;
    HostileRegistry reg;
    Path out;
    Path outside;

    @BeforeEach
    void start() {
        reg = HostileRegistry.start();
        out = tmp.resolve("work").resolve("out");
        outside = tmp.resolve("work").resolve("x");
    }

    @AfterEach
    void stop() {
        reg.close();
    }

    ModelReg client() {
        Map<String, String> env = new HashMap<>();
        env.put("MODELREG_CACHE", tmp.resolve("cache").toString());
        return new ModelReg(new BootstrapConfig(Map.of()), Settings.from(env));
    }

    // ---- an honest model set, to spoil piece by piece

    static Map<String, byte[]> files() {
        Map<String, byte[]> f = new LinkedHashMap<>();
        f.put("m/mfsim.nam", NAM);
        f.put("m/gwf/model.dis", DIS);
        return f;
    }

    static byte[] toml(Map<String, byte[]> files) {
        TreeMap<String, FileEntry> entries = new TreeMap<>();
        files.forEach((k, v) -> entries.put(k, FileEntry.ofHash(Digest.sha256Of(v))));
        return ModelsTomlCodec.write(new ModelsToml("1.0", entries,
                new TreeMap<>(Map.of("m", new ArrayList<>(files.keySet()))), new TreeMap<>()));
    }

    static Tar honestTar() {
        Tar t = new Tar();
        files().forEach(t::file);
        return t;
    }

    /** The tar layer of group "m" (served as given). */
    Descriptor tarLayer(byte[] tar) {
        return new Descriptor(MediaTypes.TAR_LAYER, reg.blob(tar), tar.length,
                Map.of(Annotations.TITLE, "m.tar", Annotations.GROUP, "m", Annotations.FILE_COUNT, "2"));
    }

    /** Tag {@code tag}: the honest config with {@code tar} as group m's layer. */
    void publishWithTar(String tag, byte[] tar) {
        reg.manifest(tag, HostileRegistry.manifestBytes(reg.config(toml(files())), List.of(tarLayer(tar))));
    }

    // ---- what every failure must leave

    /** Pulls {@code tag} into {@link #out}: it must fail with one line, having written nothing unverified. */
    String pullFails(String tag) throws IOException {
        Throwable t = catchThrowable(() -> client().pull(reg.ref(REPO, tag), out, null));
        assertThat(t).as("pull of a hostile " + tag).isNotNull();
        assertThat(t).isInstanceOfAny(ConsumerException.class, IOException.class);
        String m = t.getMessage();
        assertThat(m).isNotBlank().doesNotContain("\n").doesNotContain("\r");
        assertThat(m.length()).isLessThan(1000);
        assertNothingUnverified();
        return m;
    }

    void assertNothingUnverified() throws IOException {
        assertThat(out).doesNotExist();
        assertThat(outside).doesNotExist();
        if (Files.isDirectory(out.getParent())) {
            try (Stream<Path> s = Files.list(out.getParent())) {
                assertThat(s.toList()).as("nothing beside the target").isEmpty();
            }
        }
        Path blobs = tmp.resolve("cache/blobs/sha256");
        if (Files.isDirectory(blobs)) {
            try (Stream<Path> s = Files.list(blobs)) {
                for (Path b : s.toList()) {
                    assertThat(Digest.sha256Of(Files.readAllBytes(b)).hex()).as("cached blob " + b).isEqualTo(b.getFileName().toString());
                }
            }
        }
        try (Stream<Path> s = Files.walk(tmp)) {
            assertThat(s.filter(p -> p.getFileName().toString().equals("evil")).toList()).isEmpty();
        }
    }

    // ---- the fixture itself

    @Test
    void anHonestModelSetFromTheFixturePulls() throws IOException {
        publishWithTar("v1", honestTar().bytes());
        var r = client().pull(reg.ref(REPO, "v1"), out, null);
        assertThat(r.files()).containsExactlyInAnyOrder("m/mfsim.nam", "m/gwf/model.dis");
        assertThat(Files.readAllBytes(out.resolve("m/gwf/model.dis"))).isEqualTo(DIS);
        assertThat(reg.blobRequests()).isEqualTo(2); // config, tar
    }

    // ---- manifests

    @Test
    void aManifestDeclaredOverTheLimitIsRefusedBeforeItIsFetched() throws IOException {
        long size = 50L << 20;
        Digest d = Digest.sha256Of("whatever".getBytes(UTF_8));
        reg.manifest("v1", new Served(MediaTypes.OCI_MANIFEST, d, size, Body.repeat((byte) ' ', size, false)));
        String m = pullFails("v1");
        assertThat(m).isEqualTo(reg.host() + "/" + REPO + ": tag 'v1' (manifest " + d + ") is 52428800 bytes, more than"
                + " the 4194304-byte limit for a manifest");
        assertThat(reg.seen()).noneMatch(s -> s.method().equals("GET") && s.path().contains("/manifests/"));
        assertThat(reg.blobRequests()).isZero();
        assertThat(reg.bytesSent()).isZero();
    }

    @Test
    void aManifestThatRunsPastItsDeclaredSizeIsCutNotBuffered() throws IOException {
        long size = 50L << 20;
        Digest d = Digest.sha256Of("small".getBytes(UTF_8));
        reg.manifest("v1", new Served(MediaTypes.OCI_MANIFEST, d, 1000, Body.repeat((byte) ' ', size, true)));
        String m = pullFails("v1");
        assertThat(m).contains("manifest " + d).containsIgnoringCase("1000 bytes");
        assertThat(reg.bytesSent()).isLessThan(size / 2);
        assertThat(reg.blobRequests()).isZero();
    }

    @Test
    void aManifestWithoutDigestHeaderIsReadWithinTheLimit() throws IOException {
        long size = 50L << 20;
        reg.manifest("v1", new Served(MediaTypes.OCI_MANIFEST, null, 1000, Body.repeat((byte) ' ', size, true)));
        String m = pullFails("v1");
        assertThat(m).contains("tag 'v1'").contains("larger than the 4194304-byte limit");
        assertThat(reg.bytesSent()).isLessThan(size / 2);
        assertThat(reg.blobRequests()).isZero();
    }

    @Test
    void aHundredThousandLayersAreRefusedBeforeAnyBlobIsFetched() throws IOException {
        Descriptor config = reg.config(toml(files()));
        List<Descriptor> layers = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            layers.add(Descriptor.of(MediaTypes.TAR_LAYER, Digest.sha256Of(("l" + i).getBytes(UTF_8)), 1024));
        }
        byte[] bytes = HostileRegistry.manifestBytes(config, layers); // ~10 MB: over the manifest limit
        Descriptor md = reg.manifest("v1", bytes);
        assertThat(pullFails("v1")).isEqualTo(reg.host() + "/" + REPO + ": tag 'v1' (manifest " + md.digest() + ") is "
                + bytes.length + " bytes, more than the 4194304-byte limit for a manifest");
        assertThat(reg.blobRequests()).isZero();

        // the most layers a manifest under 4 MiB can hold: refused on their count, before the config
        byte[] fewer = HostileRegistry.manifestBytes(config, layers.subList(0, Limits.MAX_LAYERS + 1));
        assertThat(fewer.length).isLessThan(Limits.MAX_MANIFEST_BYTES);
        Descriptor md2 = reg.manifest("v2", fewer);
        assertThat(pullFails("v2")).isEqualTo(reg.ref(REPO, "v2") + ": manifest " + md2.digest()
                + " lists 10001 layers, more than the limit of 10000");
        assertThat(reg.blobRequests()).isZero();
    }

    @Test
    void aManifestThatIsAnIndexIsRefused() throws IOException {
        byte[] index = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[]}").getBytes(UTF_8);
        Digest d = Digest.sha256Of(index);
        reg.manifest("v1", new Served(MediaTypes.OCI_INDEX, d, index.length, Body.of(index)));
        assertThat(pullFails("v1")).isEqualTo(reg.ref(REPO, "v1") + ": " + d + " is an index (" + MediaTypes.OCI_INDEX
                + "), not a modelreg model set");
        // the same index sent as a manifest: its body says what it is
        reg.manifest("v2", new Served(MediaTypes.OCI_MANIFEST, d, index.length, Body.of(index)));
        assertThat(pullFails("v2")).contains("not an image manifest").contains(MediaTypes.OCI_INDEX);
        assertThat(reg.blobRequests()).isZero();
    }

    // ---- configs (models.toml)

    @Test
    void aConfigDeclaredOverTheLimitIsRefusedBeforeItIsFetched() throws IOException {
        long size = 200L << 20;
        Digest d = Digest.sha256Of("big".getBytes(UTF_8));
        reg.blob(d, Body.repeat((byte) '#', size, false));
        reg.manifest("v1", HostileRegistry.manifestBytes(Descriptor.of(MediaTypes.CONFIG, d, size), List.of()));
        assertThat(pullFails("v1")).isEqualTo(reg.ref(REPO, "v1") + ": config " + d
                + " is 209715200 bytes, more than the 16777216-byte limit for a models.toml");
        assertThat(reg.blobRequests()).isZero();
    }

    @Test
    void aConfigThatRunsPastItsDeclaredSizeIsCut() throws IOException {
        long size = 200L << 20;
        Digest d = Digest.sha256Of("small".getBytes(UTF_8));
        reg.blob(d, Body.repeat((byte) '#', size, true));
        reg.manifest("v1", HostileRegistry.manifestBytes(Descriptor.of(MediaTypes.CONFIG, d, 100), List.of()));
        assertThat(pullFails("v1")).contains("blob " + d).contains("100 bytes");
        assertThat(reg.bytesSent()).isLessThan(size / 2);
    }

    @Test
    void aConfigWhoseBytesAreNotItsDigestIsRefused() throws IOException {
        byte[] toml = toml(files());
        Digest claimed = Digest.sha256Of("something else".getBytes(UTF_8));
        byte[] evil = new String(toml, UTF_8).replace("m/gwf/model.dis", "m/gwf/evil.dis").getBytes(UTF_8);
        reg.blob(claimed, Body.of(evil));
        reg.manifest("v1", HostileRegistry.manifestBytes(Descriptor.of(MediaTypes.CONFIG, claimed, evil.length), List.of()));
        assertThat(pullFails("v1")).containsIgnoringCase("digest").contains(claimed.toString());
        assertThat(tmp.resolve("cache/blobs/sha256/" + claimed.hex())).doesNotExist();
    }

    @Test
    void tooManyFilesInTheConfigAreRefusedBeforeAnyLayerIsFetched() throws IOException {
        StringBuilder sb = new StringBuilder(20 * (Limits.MAX_FILES + 1));
        for (int i = 0; i <= Limits.MAX_FILES; i++) sb.append("[files.f").append(i).append("]\n");
        Descriptor config = reg.config(sb.toString().getBytes(UTF_8));
        reg.manifest("v1", HostileRegistry.manifestBytes(config, List.of(tarLayer(honestTar().bytes()))));
        assertThat(pullFails("v1")).isEqualTo(reg.ref(REPO, "v1") + " models.toml lists 1000001 files, more than the"
                + " limit of 1000000");
        assertThat(reg.blobRequests()).isEqualTo(1); // the config, no layer
    }

    @Test
    void overlongFileKeysAndNamesAreRefusedBeforeAnyLayerIsFetched() throws IOException {
        Map<String, byte[]> f = files();
        f.put("m/" + "a".repeat(300) + ".dis", DIS);
        reg.manifest("v1", HostileRegistry.manifestBytes(reg.config(toml(f)), List.of(tarLayer(honestTar().bytes()))));
        assertThat(pullFails("v1")).contains("[files] entry 'm/aaaa").endsWith("has a 304-byte segment, more than the"
                + " limit of 255");
        Map<String, byte[]> g = files();
        g.put("m/" + "d/".repeat(70) + "f", DIS);
        reg.manifest("v2", HostileRegistry.manifestBytes(reg.config(toml(g)), List.of(tarLayer(honestTar().bytes()))));
        assertThat(pullFails("v2")).endsWith("has more than 64 segments, the limit");
        Map<String, byte[]> h = files();
        h.put("m/" + "abcdefgh/".repeat(120) + "f", DIS);
        reg.manifest("v3", HostileRegistry.manifestBytes(reg.config(toml(h)), List.of(tarLayer(honestTar().bytes()))));
        assertThat(pullFails("v3")).endsWith("is 1083 bytes long, more than the limit of 1024");
        assertThat(reg.blobRequests()).isEqualTo(3); // the three configs
    }

    @Test
    void aFileKeyThatLeavesTheTargetIsRefusedBeforeAnyLayerIsFetched() throws IOException {
        String toml = "[files.\"../evil\"]\nhash = \"" + Digest.sha256Of(NAM).hex() + "\"\n\n[models]\n\"m\" = [\"../evil\"]\n";
        Tar t = new Tar().file("../evil", NAM);
        reg.manifest("v1", HostileRegistry.manifestBytes(reg.config(toml.getBytes(UTF_8)), List.of(tarLayer(t.bytes()))));
        assertThat(pullFails("v1")).contains("[files] entry '../evil' is not a safe relative path");
        String listed = "[files.\"m/mfsim.nam\"]\nhash = \"" + Digest.sha256Of(NAM).hex()
                + "\"\n\n[models]\n\"m\" = [\"m/../../evil\"]\n";
        reg.manifest("v2", HostileRegistry.manifestBytes(reg.config(listed.getBytes(UTF_8)), List.of(tarLayer(t.bytes()))));
        assertThat(pullFails("v2")).contains("[models] 'm' file 'm/../../evil' is not a safe relative path");
        String abs = "[files.\"/tmp/evil\"]\nhash = \"" + Digest.sha256Of(NAM).hex() + "\"\n";
        reg.manifest("v3", HostileRegistry.manifestBytes(reg.config(abs.getBytes(UTF_8)), List.of(tarLayer(t.bytes()))));
        assertThat(pullFails("v3")).contains("[files] entry '/tmp/evil' is not a safe relative path");
        assertThat(Path.of("/tmp/evil")).doesNotExist();
        assertThat(reg.blobRequests()).isEqualTo(3); // configs only
    }

    // ---- tar layers

    /** Serves {@code t} as group m's layer and pulls: the layer is refused whole, and not cached. */
    String tarFails(Tar t) throws IOException {
        byte[] tar = t.bytes();
        publishWithTar("v1", tar);
        String m = pullFails("v1");
        assertThat(m).contains("layer " + Digest.sha256Of(tar));
        assertThat(tmp.resolve("cache/blobs/sha256/" + Digest.sha256Of(tar).hex())).doesNotExist();
        return m;
    }

    @Test
    void aTarEntryWithDotDotIsRefused() throws IOException {
        assertThat(tarFails(honestTar().file("../x", NAM))).endsWith("tar entry '../x' leaves the layer ('..' in its path)");
        assertThat(tarFails(new Tar().file("m/../../x", NAM).file("m/mfsim.nam", NAM).file("m/gwf/model.dis", DIS)))
                .endsWith("tar entry 'm/../../x' leaves the layer ('..' in its path)");
    }

    @Test
    void aTarEntryWithAnAbsolutePathIsRefused() throws IOException {
        Path abs = Path.of("/tmp/modelreg-hostile-" + System.nanoTime());
        assertThat(tarFails(honestTar().file(abs.toString(), NAM))).endsWith("tar entry '" + abs
                + "' has an absolute or empty path");
        assertThat(abs).doesNotExist();
    }

    @Test
    void linksDevicesAndFifosInATarAreRefused() throws IOException {
        assertThat(tarFails(new Tar().entry("m/mfsim.nam", '2', "/etc/passwd", 0, new byte[0]).file("m/gwf/model.dis", DIS)))
                .endsWith("tar entry 'm/mfsim.nam' is a symbolic link (a tar layer holds regular files only)");
        assertThat(tarFails(honestTar().entry("m/x", '1', "m/mfsim.nam", 0, new byte[0])))
                .endsWith("tar entry 'm/x' is a hard link (a tar layer holds regular files only)");
        assertThat(tarFails(honestTar().entry("m/dev", '3', "", 0, new byte[0])))
                .endsWith("tar entry 'm/dev' is a character device (a tar layer holds regular files only)");
        assertThat(tarFails(honestTar().entry("m/blk", '4', "", 0, new byte[0])))
                .endsWith("tar entry 'm/blk' is a block device (a tar layer holds regular files only)");
        assertThat(tarFails(honestTar().entry("m/fifo", '6', "", 0, new byte[0])))
                .endsWith("tar entry 'm/fifo' is a FIFO (a tar layer holds regular files only)");
    }

    @Test
    void aDuplicateTarEntryIsRefused() throws IOException {
        byte[] other = "BEGIN options\n  PRINT_INPUT\nEND options\n".getBytes(UTF_8);
        assertThat(tarFails(honestTar().file("m/mfsim.nam", other)))
                .endsWith("tar entry 'm/mfsim.nam' occurs twice");
        assertThat(tarFails(honestTar().file("m/unlisted", other).file("m/unlisted", other)))
                .endsWith("tar entry 'm/unlisted' occurs twice");
    }

    @Test
    void aTarMemberLargerThanDeclaredOrThanItsFileIsRefused() throws IOException {
        // the header claims more than the layer holds: the tar is cut off inside the member
        Tar cut = new Tar().file("m/mfsim.nam", NAM).entry("m/gwf/model.dis", '0', "", 1_000_000, DIS);
        byte[] tar = cut.cut();
        publishWithTar("v1", tar);
        assertThat(pullFails("v1")).contains("truncated tar");
        // the member holds more bytes than the file models.toml lists
        byte[] longer = (new String(DIS, UTF_8) + "extra\n").getBytes(UTF_8);
        assertThat(tarFails(new Tar().file("m/mfsim.nam", NAM).file("m/gwf/model.dis", longer)))
                .contains("file 'm/gwf/model.dis'").containsIgnoringCase("digest");
    }

    @Test
    void layersWhoseBytesAreNotTheirDigestAreRefused() throws IOException {
        // a tar layer: honest tar, wrong bytes under its digest
        byte[] tar = honestTar().bytes();
        Digest d = Digest.sha256Of(tar);
        publishWithTar("v1", tar);
        byte[] evil = new Tar().file("m/mfsim.nam", NAM).file("m/gwf/model.dis", "evil".getBytes(UTF_8)).bytes();
        reg.blob(d, Body.of(java.util.Arrays.copyOf(evil, tar.length)));
        assertThat(pullFails("v1")).containsIgnoringCase("digest").contains(d.toString());
        // a file layer
        Map<String, byte[]> f = files();
        Descriptor config = reg.config(toml(f));
        Digest fd = Digest.sha256Of(DIS);
        reg.blob(fd, Body.of("BEGIN dimensions\n  NLAY 9\nEND dimensions\n".getBytes(UTF_8)));
        Descriptor fileLayer = new Descriptor(MediaTypes.FILE_LAYER, fd, DIS.length, Map.of(Annotations.TITLE, "m/gwf/model.dis"));
        byte[] small = new Tar().file("m/mfsim.nam", NAM).bytes();
        reg.manifest("v2", HostileRegistry.manifestBytes(config, List.of(fileLayer, tarLayer(small))));
        assertThat(pullFails("v2")).containsIgnoringCase("digest").contains(fd.toString());
        assertThat(tmp.resolve("cache/blobs/sha256/" + fd.hex())).doesNotExist();
    }

    @Test
    void tooManyTarEntriesAreRefused() throws IOException {
        // fed straight to a layer's sink: a million empty entries are half a gigabyte of headers
        var sink = TarLayers.sink(Map.of(), Map.of(), n -> {}, "layer sha256:x");
        byte[] dir = new Tar().entry("d/", '5', "", 0, new byte[0]).cut();
        byte[] h = new Tar().file("d/0000000", new byte[0]).cut();
        Throwable t = catchThrowable(() -> {
            sink.write(dir, 0, dir.length); // a directory counts too
            for (int i = 0; i < Limits.MAX_TAR_MEMBERS; i++) {
                for (int k = 0, v = i; k < 7; k++, v /= 10) h[8 - k] = (byte) ('0' + v % 10); // name d/NNNNNNN
                java.util.Arrays.fill(h, 148, 156, (byte) ' ');
                int sum = 0;
                for (byte c : h) sum += c & 0xff;
                for (int k = 5; k >= 0; k--, sum >>= 3) h[148 + k] = (byte) ('0' + (sum & 7));
                h[154] = 0;
                sink.write(h, 0, h.length);
            }
        });
        assertThat(t).hasMessage("layer sha256:x: more than 1000000 tar entries, the limit");
    }
}
