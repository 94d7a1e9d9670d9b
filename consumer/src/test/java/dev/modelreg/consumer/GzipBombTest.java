package dev.modelreg.consumer;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.modelreg.content.BlobSink;
import dev.modelreg.content.ContentException;
import dev.modelreg.content.tar.TarHeaders;
import dev.modelreg.spec.Annotations;
import dev.modelreg.spec.BootstrapConfig;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.FileEntry;
import dev.modelreg.spec.FileGroups;
import dev.modelreg.spec.Limits;
import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.MediaTypes;
import dev.modelreg.spec.Modelcar;
import dev.modelreg.spec.ModelsToml;
import dev.modelreg.spec.ModelsTomlCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Gzip bombs (issue 20, item 6): a 2 MB layer that expands to 2 GiB. A layer may expand only to what its models.toml
 * says it holds; a file is checked by name and size at its tar header, before its bytes; the bytes out of the gunzip
 * stop at the first one past the bound. Each case measures what reached the disk (or, for a layer read only to find
 * models.toml, how much of the bomb was read before the refusal).
 */
@Timeout(120)
@Isolated // one case counts the bytes the whole process writes (/proc/self/io): another class's writes would count too
class GzipBombTest {
    static final long BOMB = 2L << 30; // 2 GiB of zeros
    static final int ZEROS_MEMBER = 64 << 20;
    static final byte[] A = "a\n".getBytes(UTF_8);
    /** One gzip member of 64 MiB of zeros (about 64 KB): a bomb is its header's member and 32 of these. */
    static byte[] zeros;

    @TempDir Path tmp;

    @BeforeAll
    static void zeros() throws IOException {
        zeros = gzip(new byte[ZEROS_MEMBER]);
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(b)) {
            g.write(data);
        }
        return b.toByteArray();
    }

    /** {@code head} gzipped, then {@code n} zero bytes (a multiple of 64 MiB) as gzip members of their own. */
    static byte[] bomb(byte[] head, long n) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(gzip(head));
        for (long i = 0; i < n / ZEROS_MEMBER; i++) b.writeBytes(zeros);
        return b.toByteArray();
    }

    static byte[] header(String name, long size) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        TarHeaders.file(b, name, size, 0);
        return b.toByteArray();
    }

    static byte[] file(String name, byte[] data) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        TarHeaders.file(b, name, data.length, 0);
        b.writeBytes(data);
        TarHeaders.pad(b, data.length);
        return b.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) b.writeBytes(p);
        return b.toByteArray();
    }

    /** models.toml: m/a.txt (model x/m), with its size or without; and z.txt (no model: the registry layer's). */
    static byte[] toml(boolean sized) {
        return ("[files.\"m/a.txt\"]\nhash = \"" + Digest.sha256Of(A).hex() + "\"\n" + (sized ? "size = 2\n" : "")
                + "\n[files.\"z.txt\"]\nhash = \"" + Digest.sha256Of(A).hex() + "\"\nsize = 2\n"
                + "\n[models]\n\"x/m\" = [\n    \"m/a.txt\",\n]\n").getBytes(UTF_8);
    }

    static Descriptor gzLayer(byte[] gz, Map<String, String> ann) {
        return new Descriptor(Modelcar.GZIP_LAYER, Digest.sha256Of(gz), gz.length, ann);
    }

    static Modelcar car(byte[] toml, Descriptor reg, Descriptor model) throws java.io.IOException {
        Manifest m = new Manifest(null, Descriptor.of(Modelcar.IMAGE_CONFIG, Digest.sha256Of(new byte[1]), 1),
                List.of(reg, model), Map.of(Modelcar.ROOT, "/models", Modelcar.REGISTRY, Digest.sha256Of(toml).toString()));
        return ImageLayers.modelcar(m, "image");
    }

    static Descriptor registryLayer(byte[] toml, byte[] gz) {
        return gzLayer(gz, Map.of(Modelcar.REGISTRY, Digest.sha256Of(toml).toString(), Annotations.GROUP, ""));
    }

    /** Feeds {@code gz} to {@code sink} in 64 KiB chunks; returns how many bytes it took before it refused them. */
    record Fed(ContentException refusal, long consumed) {}

    static Fed feed(BlobSink sink, byte[] gz) {
        long at = 0;
        try {
            for (; at < gz.length; at += 64 << 10) sink.write(gz, (int) at, (int) Math.min(64 << 10, gz.length - at));
            sink.finish();
            return new Fed(null, gz.length);
        } catch (ContentException e) {
            return new Fed(e, Math.min(at + (64 << 10), gz.length));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Reads the model layer {@code gz} of an image with models.toml {@code toml}, writing m/a.txt to {@code dest}. */
    Fed readModelLayer(byte[] toml, byte[] gz, Path dest) throws IOException {
        ModelsToml r = ModelsTomlCodec.read(toml, "models.toml");
        Descriptor reg = registryLayer(toml, gzip(file("models/models.toml", toml)));
        Descriptor model = gzLayer(gz, Map.of(Annotations.GROUP, "x/m"));
        Modelcar car = car(toml, reg, model);
        Map<String, FileEntry> serves = ImageLayers.serves(r, car, model, FileGroups.groups(r));
        return feed(ImageLayers.sink(car, model, serves, Map.of("m/a.txt", dest), n -> { }, "layer L"), gz);
    }

    static long written(Path p) throws IOException {
        return Files.exists(p) ? Files.size(p) : 0;
    }

    static void oneLine(Throwable e, ContentException.Kind kind, String... parts) {
        assertThat(e).as("refused").isNotNull();
        assertThat(e instanceof ContentException c ? c.kind() : ((ConsumerException) e).kind()).as(e.toString()).isEqualTo(kind);
        assertThat(e.getMessage()).doesNotContain("\n").contains(parts);
    }

    @Test
    void aModelLayerBombWritesNothingOfAFileWhoseSizeModelsTomlGives() throws IOException {
        byte[] gz = bomb(header("models/m/a.txt", BOMB), BOMB);
        assertThat(gz.length).as("a 2 MB layer").isBetween(1_000_000, 3_000_000);
        Path dest = tmp.resolve("a.txt");
        Fed fed = readModelLayer(toml(true), gz, dest);
        System.out.printf("model layer bomb, size in models.toml: %d of %d compressed bytes read, %d bytes written%n",
                fed.consumed(), gz.length, written(dest));
        oneLine(fed.refusal(), ContentException.Kind.SIZE_MISMATCH, "file 'm/a.txt' in layer L", "want 2 bytes, got " + BOMB);
        assertThat(written(dest)).as("bytes written to the file in staging").isZero();
        assertThat(fed.consumed()).as("refused at the entry's header").isLessThanOrEqualTo(64 << 10);
    }

    @Test
    void aModelLayerBombWritesNoMoreThanTheAllowanceOfFilesWithoutASize() throws IOException {
        byte[] gz = bomb(header("models/m/a.txt", BOMB), BOMB);
        Path dest = tmp.resolve("a.txt");
        Fed fed = readModelLayer(toml(false), gz, dest);
        long allowance = Limits.UNSIZED_EXPANSION_FLOOR + Limits.UNSIZED_EXPANSION_RATIO * (long) gz.length;
        System.out.printf("model layer bomb, no size in models.toml: %d of %d compressed bytes read, %d bytes written"
                + " (allowance %d)%n", fed.consumed(), gz.length, written(dest), allowance);
        oneLine(fed.refusal(), ContentException.Kind.INVALID, "file 'm/a.txt' is " + BOMB + " bytes, more than models.toml allows");
        assertThat(written(dest)).isLessThanOrEqualTo(allowance).isEqualTo(0L);
    }

    @Test
    void zerosAfterTheEndOfTheArchiveStopAtTheBound() throws IOException {
        byte[] honest = concat(file("models/m/a.txt", A), new byte[1024]);
        byte[] gz = bomb(honest, BOMB);
        Path dest = tmp.resolve("a.txt");
        Fed fed = readModelLayer(toml(true), gz, dest);
        System.out.printf("2 GiB of zeros after the archive's end: %d of %d compressed bytes read%n", fed.consumed(), gz.length);
        oneLine(fed.refusal(), ContentException.Kind.INVALID, "layer L: expands past", "more than models.toml allows");
        assertThat(fed.consumed()).as("stopped at the bound, a few KiB in").isLessThanOrEqualTo(128 << 10);
    }

    /** The registry layer read to find models.toml (a resolve): nothing is written, but nothing unlisted is hashed either. */
    Fed readRegistryLayer(byte[] head) throws IOException {
        byte[] toml = toml(true);
        byte[] gz = bomb(head, BOMB);
        Descriptor reg = registryLayer(toml, gz);
        Descriptor model = gzLayer(gzip(new byte[1024]), Map.of(Annotations.GROUP, "x/m"));
        return feed(ImageLayers.registrySink(car(toml, reg, model), b -> { }, "layer R"), gz);
    }

    @Test
    void anUnlistedMemberAfterModelsTomlIsRefusedByNameBeforeItsBytes() throws IOException {
        byte[] toml = toml(true);
        Fed fed = readRegistryLayer(concat(file("models/models.toml", toml), header("models/zz.bin", BOMB)));
        System.out.printf("unlisted 2 GiB member after models.toml: %d compressed bytes read%n", fed.consumed());
        oneLine(fed.refusal(), ContentException.Kind.INVALID, "layer R: holds file 'zz.bin', which models.toml does not place in this layer");
        assertThat(fed.consumed()).as("refused at its header").isLessThanOrEqualTo(64 << 10);
    }

    @Test
    void anUnlistedMemberBeforeModelsTomlIsRefusedAtItsHeader() throws IOException {
        Fed fed = readRegistryLayer(header("models/aa.bin", BOMB));
        System.out.printf("unlisted 2 GiB member before models.toml: %d compressed bytes read%n", fed.consumed());
        oneLine(fed.refusal(), ContentException.Kind.INVALID, "layer R: file 'aa.bin' is " + BOMB + " bytes, more than models.toml allows");
        assertThat(fed.consumed()).isLessThanOrEqualTo(64 << 10);
    }

    @Test
    void aTarLayerMemberLongerThanItsSizeInModelsTomlWritesNothing() throws IOException {
        byte[] big = new byte[2 << 20];
        byte[] tar = concat(file("m/a.txt", big), new byte[1024]);
        Path dest = tmp.resolve("a.txt");
        Map<String, FileEntry> serves = Map.of("m/a.txt", new FileEntry(Digest.sha256Of(A), null, null, 2L));
        Fed fed = feed(TarLayers.sink(serves, Map.of("m/a.txt", dest), n -> { }, "layer T"), tar);
        System.out.printf("tar layer, 2 MiB member listed as 2 bytes: %d bytes written%n", written(dest));
        oneLine(fed.refusal(), ContentException.Kind.SIZE_MISMATCH, "file 'm/a.txt' in layer T: size mismatch: want 2 bytes, got " + big.length);
        assertThat(written(dest)).isZero();
    }

    /** The bytes this process has passed to write(2) so far (Linux: /proc/self/io). */
    static long writtenByProcess() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
            if (line.startsWith("wchar:")) return Long.parseLong(line.substring(6).trim());
        }
        throw new IllegalStateException("no wchar in /proc/self/io");
    }

    @Test
    void aPullOfABombImageFailsInOneLineHavingWrittenTheCompressedLayerAndNoMore() throws IOException {
        byte[] toml = toml(true);
        byte[] regGz = gzip(concat(file("models/models.toml", toml), file("models/z.txt", A), new byte[1024]));
        byte[] gz = bomb(header("models/m/a.txt", BOMB), BOMB);
        Descriptor reg = registryLayer(toml, regGz);
        Descriptor model = gzLayer(gz, Map.of(Annotations.GROUP, "x/m"));
        byte[] config = "{}".getBytes(UTF_8);
        Manifest m = new Manifest(null, Descriptor.of(Modelcar.IMAGE_CONFIG, Digest.sha256Of(config), config.length),
                List.of(reg, model), Map.of(Modelcar.ROOT, "/models", Modelcar.REGISTRY, Digest.sha256Of(toml).toString()));
        Path layout = tmp.resolve("layout");
        for (byte[] b : List.of(config, regGz, gz, m.toBytes())) {
            Path p = layout.resolve("blobs/sha256/" + Digest.sha256Of(b).hex());
            Files.createDirectories(p.getParent());
            Files.write(p, b);
        }
        Descriptor md = m.descriptor();
        Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.writeString(layout.resolve("index.json"), "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX
                + "\",\"manifests\":[{\"mediaType\":\"" + md.mediaType() + "\",\"digest\":\"" + md.digest() + "\",\"size\":"
                + md.size() + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"v1\"}}]}");
        ModelReg reg2 = new ModelReg(new BootstrapConfig(Map.of()),
                Settings.from(Map.of("MODELREG_CACHE", tmp.resolve("cache").toString())));
        Path out = tmp.resolve("work/out");

        long before = writtenByProcess();
        Throwable e = catchThrowable(() -> reg2.pull("oci-layout:" + layout + ":v1", out, null));
        long wrote = writtenByProcess() - before;
        long allowed = gz.length + regGz.length + toml.length + 2 * A.length + (1 << 20); // layers, models.toml, files; 1 MiB slack
        System.out.printf("pull of a 2 MB bomb image: %d bytes written by the process (allowed %d)%n", wrote, allowed);
        oneLine(e, ContentException.Kind.SIZE_MISMATCH, "file 'm/a.txt' in layer " + model.digest());
        assertThat(wrote).as("bytes written to the cache and staging").isLessThanOrEqualTo(allowed);
        assertThat(out).doesNotExist();
    }
}
