package dev.modelreg.content;

import dev.modelreg.content.store.OciLayout;
import dev.modelreg.content.store.RegistryStore;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.MediaTypes;
import dev.modelreg.spec.OciReference;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Copies one big blob layout -> registry -> layout in this JVM and prints one line of measurements. Run by
 * {@link LargeBlobCopyTest} in a child JVM with a small heap (so buffering a blob in memory would fail), and by
 * hand for the 1 GiB numbers: {@code java -Xmx64m -cp ... dev.modelreg.content.LargeBlobCopy HOST WORKDIR MIB}.
 */
public final class LargeBlobCopy {
    public static void main(String[] args) throws Exception {
        String host = args[0];
        Path work = Path.of(args[1]);
        long mib = Long.parseLong(args[2]);

        // the source file, hashed in the same pass as it is written
        Path file = work.resolve("big.bin");
        Descriptor blob;
        try (DigestingOutputStream out = new DigestingOutputStream(Files.newOutputStream(file))) {
            byte[] buf = new byte[1 << 20];
            Random rnd = new Random(42);
            for (long i = 0; i < mib; i++) {
                rnd.nextBytes(buf);
                out.write(buf);
            }
            out.flush();
            blob = Descriptor.of(MediaTypes.FILE_LAYER, out.digest(), out.count());
        }
        byte[] config = "[files]\n".getBytes(StandardCharsets.UTF_8);
        Descriptor cd = Descriptor.of(MediaTypes.CONFIG, dev.modelreg.spec.Digest.sha256Of(config), config.length);
        Manifest m = new Manifest(MediaTypes.ARTIFACT_TYPE, cd, List.of(blob), Map.of());

        OciLayout src = OciLayout.open(work.resolve("src"));
        try (InputStream in = Files.newInputStream(file)) {
            src.push(blob, in);
        }
        Files.delete(file);
        src.push(cd, new ByteArrayInputStream(config));
        src.push(m.descriptor(), new ByteArrayInputStream(m.toBytes()));
        src.tag(m.descriptor(), "big");

        resetPeaks();
        RegistryStore reg = RegistryStore.connect(OciReference.parse(host + "/bench/big"), RegistryOptions.defaults());
        long t0 = System.nanoTime();
        CopyResult up = Copy.copy(src, "big", reg, "big", CopyOptions.defaults());
        long t1 = System.nanoTime();
        long peakUp = peakHeap();

        resetPeaks();
        OciLayout dst = OciLayout.open(work.resolve("dst"));
        long t2 = System.nanoTime();
        CopyResult down = Copy.copy(reg, "big", dst, "big", CopyOptions.defaults());
        long t3 = System.nanoTime();
        long peakDown = peakHeap();

        if (Files.size(dst.blobPath(blob.digest())) != blob.size()) throw new AssertionError("size differs");
        System.out.printf("{\"bytes\":%d,\"pushSeconds\":%.2f,\"pullSeconds\":%.2f,\"peakHeapPushMiB\":%d,"
                        + "\"peakHeapPullMiB\":%d,\"maxHeapMiB\":%d,\"pushed\":%d,\"pulled\":%d,\"requests\":%d}%n",
                blob.size(), (t1 - t0) / 1e9, (t3 - t2) / 1e9, peakUp >> 20, peakDown >> 20,
                Runtime.getRuntime().maxMemory() >> 20, up.bytesCopied(), down.bytesCopied(), reg.requestCount());
    }

    private static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) p.resetPeakUsage();
        }
    }

    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) sum += p.getPeakUsage().getUsed();
        }
        return sum;
    }
}
