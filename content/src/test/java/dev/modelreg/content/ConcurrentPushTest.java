package dev.modelreg.content;

import dev.modelreg.content.store.OciLayout;
import dev.modelreg.content.store.RegistryStore;
import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.MediaTypes;
import dev.modelreg.spec.OciReference;
import dev.modelreg.testkit.RegistryFixture;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two pushes of one repository at once that share their layers (two CI jobs publishing two refs), against the real
 * registry: distribution 2.8 rewrites a blob's repository link on every upload of it (truncate, then write), so a
 * manifest PUT that checks that link meanwhile can read it empty and answer DIGEST_INVALID. Each round uses a fresh
 * repository, so both pushes upload every shared layer and their commits overlap the other's manifest PUTs.
 */
class ConcurrentPushTest {
    static final int ROUNDS = 15;
    static final int SHARED_LAYERS = 24;

    @TempDir static Path shared;
    @TempDir Path tmp;
    static RegistryFixture registry;

    @BeforeAll
    static void start() {
        registry = RegistryFixture.start(RegistryFixture.Mode.PLAIN, shared.resolve("registry"));
    }

    @AfterAll
    static void stop() {
        if (registry != null) registry.close();
    }

    @Test
    void twoPushesSharingLayersBothSucceedEveryRound() throws Exception {
        List<Descriptor> layers = new ArrayList<>();
        Map<Descriptor, byte[]> layerBytes = new java.util.LinkedHashMap<>();
        for (int i = 0; i < SHARED_LAYERS; i++) {
            byte[] b = Blobs.random(500 + i, 2_000 + i * 97);
            Descriptor d = Blobs.describe(MediaTypes.FILE_LAYER, b).withAnnotations(Map.of("org.opencontainers.image.title", "f" + i + ".bin"));
            layers.add(d);
            layerBytes.put(d, b);
        }
        OciLayout[] sources = new OciLayout[2];
        Manifest[] manifests = new Manifest[2];
        for (int s = 0; s < 2; s++) {
            byte[] config = ("[files]\n# ref " + s + "\n").getBytes(StandardCharsets.UTF_8);
            Descriptor cd = Blobs.describe(MediaTypes.CONFIG, config);
            manifests[s] = new Manifest(MediaTypes.ARTIFACT_TYPE, cd, layers, Map.of());
            sources[s] = OciLayout.open(tmp.resolve("src" + s));
            sources[s].push(cd, new ByteArrayInputStream(config));
            for (var e : layerBytes.entrySet()) sources[s].push(e.getKey(), new ByteArrayInputStream(e.getValue()));
            sources[s].push(manifests[s].descriptor(), new ByteArrayInputStream(manifests[s].toBytes()));
        }

        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                String repository = "models/race-" + round;
                CyclicBarrier together = new CyclicBarrier(2);
                List<Future<CopyResult>> pushes = new ArrayList<>();
                for (int s = 0; s < 2; s++) {
                    OciLayout src = sources[s];
                    Descriptor root = manifests[s].descriptor();
                    String tag = "ref-" + s;
                    pushes.add(pool.submit(() -> {
                        RegistryStore dst = store(repository); // one store per push, as two processes have
                        together.await();
                        return Copy.copy(src, root, dst, tag, CopyOptions.defaults());
                    }));
                }
                for (Future<CopyResult> f : pushes) f.get(); // a failed push fails the round with its message
                RegistryStore check = store(repository);
                for (int s = 0; s < 2; s++) {
                    assertThat(check.resolve("ref-" + s)).as("round %d ref-%d", round, s).isEqualTo(manifests[s].descriptor());
                    try (InputStream in = check.fetch(manifests[s].descriptor())) {
                        assertThat(in.readAllBytes()).isEqualTo(manifests[s].toBytes());
                    }
                }
                for (Descriptor l : layers) assertThat(check.exists(l)).as("round %d %s", round, l.digest()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static RegistryStore store(String repository) {
        return RegistryStore.connect(OciReference.parse(registry.host() + "/" + repository), RegistryOptions.defaults());
    }
}
