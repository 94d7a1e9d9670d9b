import java.nio.file.Files;
import java.nio.file.Path;
import land.oras.ContainerRef;
import land.oras.Layer;
import land.oras.Registry;

/**
 * Benchmark peer: {@code java OrasPull HOST:PORT/REPO:TAG DIR} pulls an artifact with oras-java-sdk's own
 * {@code Registry.pullArtifact} (plain HTTP, as for a loopback registry). Exit 0 on success, 1 with a one-line
 * error otherwise.
 *
 * <p>pullArtifact writes each layer to DIR/&lt;title&gt; but does not create the parent directories of nested
 * titles (it fails with NoSuchFileException), so this peer reads the manifest first and creates them: one extra
 * manifest GET, counted in its time.
 */
public final class OrasPull {
    private static final String TITLE = "org.opencontainers.image.title";

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: OrasPull REGISTRY/REPO:TAG DIR");
            System.exit(2);
        }
        Path dir = Path.of(args[1]);
        Files.createDirectories(dir);
        try {
            Registry registry = Registry.builder().insecure().build();
            ContainerRef ref = ContainerRef.parse(args[0]);
            for (Layer layer : registry.getManifest(ref).getLayers()) {
                String title = layer.getAnnotations() == null ? null : layer.getAnnotations().get(TITLE);
                if (title != null && title.contains("/")) Files.createDirectories(dir.resolve(title).getParent());
            }
            registry.pullArtifact(ref, dir, true);
        } catch (Exception e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) root = root.getCause();
            System.err.println("oras-java: error: " + e.getMessage() + (root != e ? " (cause: " + root + ")" : ""));
            System.exit(1);
        }
        System.exit(0);
    }
}
