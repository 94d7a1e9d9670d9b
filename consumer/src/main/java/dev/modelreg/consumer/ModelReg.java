package dev.modelreg.consumer;

import dev.modelreg.spec.Text;
import dev.modelreg.consumer.Results.ClearResult;
import dev.modelreg.consumer.Results.CopyResult;
import dev.modelreg.consumer.Results.Listing;
import dev.modelreg.consumer.Results.Mismatch;
import dev.modelreg.consumer.Results.SourceInfo;
import dev.modelreg.consumer.Results.SyncResult;
import dev.modelreg.consumer.Results.VerifyResult;
import dev.modelreg.content.Cleanup;
import dev.modelreg.content.ContentException;
import dev.modelreg.content.CopyListener;
import dev.modelreg.content.DigestingOutputStream;
import dev.modelreg.content.Leftovers;
import dev.modelreg.content.Parallel;
import dev.modelreg.content.Streams;
import dev.modelreg.spec.BootstrapConfig;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.FileEntry;
import dev.modelreg.spec.ModelsToml;
import dev.modelreg.spec.ModelsTomlCodec;
import dev.modelreg.spec.Reference;
import dev.modelreg.spec.RegistryFormatException;
import dev.modelreg.spec.SourceConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The consumer as a library: load the sources, sync their registries, list models, copy a model into a workspace,
 * pull a whole ref, verify a workspace. The CLI commands are thin wrappers over these methods.
 *
 * <pre>{@code
 * ModelReg reg = ModelReg.fromEnvironment();                 // bundled sources + user overlay, $MODELREG_CACHE
 * reg.sync("modflow6-testmodels", "develop", false);
 * Path ws = reg.copy("mf6/test/test001a_Tharmonic", Path.of("work/t1"), true).workspace();
 * boolean same = reg.verify("mf6/test/test001a_Tharmonic", ws).ok();
 * }</pre>
 */
public final class ModelReg {
    private final BootstrapConfig config;
    private final Settings settings;
    private final Cache cache;
    private final GitHubSource github;
    private final OciSource oci;
    private Consumer<String> progress = m -> {};

    public ModelReg(BootstrapConfig config, Settings settings) {
        this.config = config;
        this.settings = settings;
        this.cache = new Cache(settings.cacheRoot());
        this.github = new GitHubSource(settings, cache);
        this.oci = new OciSource(settings, cache, config.mirrors());
    }

    /** Bundled bootstrap plus the user overlay (or MODELREG_CONFIG alone), settings from the process environment. */
    public static ModelReg fromEnvironment() {
        return new ModelReg(loadConfig(null, System.getenv()), Settings.fromEnvironment());
    }

    /**
     * {@code configFile} (or {@code $MODELREG_CONFIG}) alone when given; else the bundled bootstrap with the user
     * overlay {@code $XDG_CONFIG_HOME/modelreg/models.toml} ({@code %APPDATA%\modelreg\models.toml} on Windows),
     * whose source tables replace bundled ones whole.
     */
    public static BootstrapConfig loadConfig(Path configFile, Map<String, String> env) {
        return BootstrapConfig.resolve(configFile, env, System.getProperty("os.name", ""));
    }

    /** Where progress lines go (the CLI sends them to stderr); default: nowhere. */
    public ModelReg onProgress(Consumer<String> sink) {
        this.progress = sink == null ? m -> {} : sink;
        return this;
    }

    /** The hooks of every blob transfer (the CLI's progress display); default: none. */
    public ModelReg onTransfer(CopyListener listener) {
        oci.listener(listener);
        github.listener(listener);
        return this;
    }

    public BootstrapConfig config() {
        return config;
    }

    public Settings settings() {
        return settings;
    }

    public Path cacheRoot() {
        return cache.root();
    }

    /** HTTP requests made so far: OCI registry requests plus GitHub-mode downloads. */
    public long requestCount() {
        return oci.requestCount() + github.requestCount();
    }

    // ---------------------------------------------------------------------------------------------------- sync

    public List<SyncResult> sync(String source, String ref, boolean force) {
        return sync(source, ref, null, force);
    }

    /**
     * Syncs every configured ref of every source, or of {@code source} (key or name), or just {@code ref}.
     * {@code repo} (OWNER/NAME, needs a source) overrides the GitHub repository, or defines an ad-hoc source when
     * {@code source} is not configured. Failures are returned per ref, not thrown.
     */
    public List<SyncResult> sync(String source, String ref, String repo, boolean force) {
        List<SourceConfig> sources = new ArrayList<>();
        if (source == null) {
            if (repo != null) throw new ConsumerException("--repo requires --source");
            sources.addAll(config.sources().values());
        } else {
            SourceConfig s = findSource(source);
            if (s == null) {
                if (repo == null) ModelLookup.source(config, source);
                s = new SourceConfig(source, repo, source, ref == null ? List.of() : List.of(ref), ".registry", null);
            } else if (repo != null) {
                s = new SourceConfig(s.key(), repo, s.name(), s.refs(), s.registryPath(), null);
            }
            sources.add(s);
        }
        List<SyncResult> out = new ArrayList<>();
        for (SourceConfig s : sources) {
            List<String> refs = ref != null ? List.of(ref) : s.refs();
            if (refs.isEmpty()) progress.accept("No refs configured for source '" + s.name() + "', skipping");
            for (String r : refs) {
                try {
                    out.add(syncRef(s, r, force));
                } catch (ConsumerException | IOException | UncheckedIOException | IllegalArgumentException e) {
                    String msg = withoutLabel(s.name() + "@" + r, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
                    progress.accept("  [-] Failed to sync " + s.name() + "@" + r + ": " + msg);
                    out.add(new SyncResult(s.key(), s.name(), r, "failed", null, null, null, msg, ConsumerException.kindOf(e)));
                }
            }
        }
        return out;
    }

    /** {@code message} without a leading {@code label: } (a result names its ref already; the error said it too). */
    private static String withoutLabel(String label, String message) {
        return message.startsWith(label + ": ") ? message.substring(label.length() + 2) : message;
    }

    /** Configured plus cached refs of a source (key or name): how an address with a '/' in its ref is split. */
    private List<String> knownRefs(String keyOrName) {
        SourceConfig s = findSource(keyOrName);
        if (s == null) return null;
        List<String> refs = new ArrayList<>(s.refs());
        try {
            for (RefState st : cache.states()) if (st.source().equals(s.key()) && !refs.contains(st.ref())) refs.add(st.ref());
        } catch (IOException e) {
            // configured refs only
        }
        return refs;
    }

    private SourceConfig findSource(String keyOrName) {
        SourceConfig s = config.sources().get(keyOrName);
        if (s != null) return s;
        for (SourceConfig x : config.sources().values()) if (x.name().equals(keyOrName)) return x;
        return null;
    }

    /** " at ENDPOINT" when a mirror endpoint, not {@code upstream} itself, served {@code r}; else nothing. */
    private static String via(OciSource.Resolved r, String upstream) {
        return r.servedBy() != null && !r.servedBy().equals(upstream) ? " at " + r.servedBy() : "";
    }

    private SyncResult syncRef(SourceConfig s, String ref, boolean force) throws IOException {
        String label = s.name() + "@" + ref;
        RefState prev;
        try {
            prev = cache.state(s.key(), ref);
        } catch (ConsumerException e) {
            if (!force) throw e;
            prev = null; // an unreadable state.json: --force replaces it (the hint its error gives)
        }
        if (Digest.isDigest(ref) && s.oci() == null) return pinGitHub(s, ref, prev);
        if (settings.offline() && (s.oci() == null || (prev != null && !prev.isOci()))) {
            if (prev != null && cache.registryBytes(s.key(), ref) != null) {
                return result(prev, "skipped");
            }
            throw ConsumerException.offline(offlineHint(s, ref));
        }
        if (s.oci() != null) {
            try {
                progress.accept("Resolving " + label + " in " + oci.endpointsOf(s.oci()) + "...");
                OciSource.Resolved r;
                try {
                    r = oci.resolve(s.oci(), ref, prev, force, label);
                } catch (ConsumerException e) {
                    if (!settings.offline() || e.getMessage() == null || !e.getMessage().startsWith("offline:")) throw e;
                    if (Digest.isDigest(ref) && s.repo() != null) return pinGitHub(s, ref, prev); // a cached GitHub pin
                    throw new ConsumerException(ContentException.Kind.UNAVAILABLE, offlineHint(s, ref), e);
                }
                if (r.unchanged() && prev != null && prev.isOci() && prev.digest().equals(r.manifest().digest())
                        && (r.servedBy() == null || r.servedBy().equals(prev.servedBy())) // else record who served it
                        && cache.registryBytes(s.key(), ref) != null) {
                    progress.accept("  [=] " + label + " unchanged" + via(r, s.oci()) + " (" + prev.digest() + ")");
                    return result(prev, "unchanged");
                }
                parse(r.config(), label);
                RefState st = oci.stateFor(s.key(), s.name(), ref, s.oci(), r);
                cache.save(s.key(), ref, r.config(), st);
                progress.accept("  [+] Synced " + label + via(r, s.oci()) + " (" + st.digest() + ")");
                return result(st, "synced");
            } catch (ContentException e) {
                if (e.kind() != ContentException.Kind.NOT_FOUND || s.repo() == null) {
                    throw new ConsumerException(label + ": " + e.getMessage(), e);
                }
                progress.accept("  " + label + " not found in " + s.oci() + ", trying GitHub " + s.repo());
            }
        }
        if (s.repo() == null) {
            throw new ConsumerException("source '" + s.key() + "' has neither repo nor oci");
        }
        if (Digest.isDigest(ref)) return pinGitHub(s, ref, prev);
        if (!force && prev != null && !prev.isOci() && cache.registryBytes(s.key(), ref) != null) {
            progress.accept("Registry " + label + " already cached, skipping");
            return result(prev, "skipped");
        }
        progress.accept("Discovering registry " + label + "...");
        GitHubSource.Discovered d = github.discover(s, ref);
        progress.accept("  Caching registry found via " + d.transport() + " at " + d.url() + "...");
        RefState st = github.stateFor(s, ref, d);
        if (prev != null && prev.digest().equals(st.digest())) {
            st = new RefState(st.source(), st.name(), st.ref(), st.transport(), st.digest(), st.config(), st.tag(),
                    st.reference(), st.time(), prev.zips());
        }
        cache.save(s.key(), ref, d.bytes(), st);
        progress.accept("  [+] Synced " + label);
        return result(st, "synced");
    }

    /**
     * A GitHub-mode pin {@code sha256:HEX}: the registry file (models.toml) whose bytes have that sha256 (spec/README.md
     * section 6). It is served from the cache when a cached ref of the source holds those bytes (or the blob store
     * does), else online from the first configured ref whose models.toml has that digest now. The pin gets a state of
     * its own, so a later sync of the branch it came from does not change what it serves; {@code tag} records the git
     * ref files without a {@code url} are downloaded from.
     */
    private SyncResult pinGitHub(SourceConfig s, String pin, RefState prev) throws IOException {
        String label = s.name() + "@" + pin;
        Digest want = Digest.parse(pin);
        if (prev != null && !prev.isOci() && want.equals(prev.config()) && cache.registryBytes(prev) != null) {
            return result(prev, "skipped");
        }
        RefState from = null;
        byte[] bytes = null;
        for (RefState st : cache.states()) {
            if (st.source().equals(s.key()) && !st.isOci() && !Digest.isDigest(st.ref()) && want.equals(st.config())
                    && (bytes = cache.registryBytes(st)) != null) {
                from = st;
                break;
            }
        }
        if (from == null && cache.has(want)) {
            byte[] b = Files.readAllBytes(cache.blob(want));
            if (Digest.sha256Of(b).equals(want)) {
                bytes = b;
                from = new RefState(s.key(), s.name(), s.refs().isEmpty() ? null : s.refs().get(0), RefState.GITHUB_RAW,
                        want, want, null, "cache", null, Map.of());
            }
        }
        if (from == null && !settings.offline() && s.repo() != null) {
            for (String r : s.refs()) {
                if (Digest.isDigest(r)) continue;
                progress.accept("Looking for " + label + " at " + s.name() + "@" + r + "...");
                GitHubSource.Discovered d;
                try {
                    d = github.discover(s, r);
                } catch (ConsumerException e) {
                    progress.accept("  " + e.getMessage());
                    continue;
                }
                if (Digest.sha256Of(d.bytes()).equals(want)) {
                    bytes = d.bytes();
                    from = github.stateFor(s, r, d);
                    break;
                }
            }
        }
        if (from == null) {
            throw new ConsumerException(settings.offline() ? ContentException.Kind.UNAVAILABLE : ContentException.Kind.NOT_FOUND,
                    (settings.offline() ? "offline: " : "") + label + ": no cached or configured ref"
                    + " of source '" + s.key() + "' has a models.toml with this sha256"
                    + (settings.offline() ? " (run modelreg sync --source " + s.key() + " --ref " + pin
                    + " with network access)" : " now (configured refs: " + s.refs() + ")"));
        }
        parse(bytes, label);
        RefState st = new RefState(s.key(), s.name(), pin, from.transport(), want, want, from.ref(), from.reference(),
                java.time.Instant.now().toString(), from.zips());
        cache.save(s.key(), pin, bytes, st);
        progress.accept("  [+] Pinned " + label + (from.ref() != null ? " (from " + s.name() + "@" + from.ref() + ")" : ""));
        return result(st, "synced");
    }

    /** "offline: NAME@REF is not in the cache" with the command that caches it. */
    private static String offlineHint(SourceConfig s, String ref) {
        return "offline: " + s.name() + "@" + ref + " is not in the cache (run modelreg sync --source " + s.key()
                + " --ref " + ref + " with network access)";
    }

    /** The pin {@code copy SOURCE@PIN/MODEL} accepts for a cached ref: {@code KEY@DIGEST} (manifest or models.toml). */
    public static String pinOf(RefState st) {
        return st.source() + "@" + st.digest();
    }

    private static SyncResult result(RefState st, String status) {
        return new SyncResult(st.source(), st.name(), st.ref(), status, st.transport(), st.digest(), st.reference(), null, null);
    }

    private static ModelsToml parse(byte[] bytes, String label) {
        try {
            return ModelsTomlCodec.read(bytes, label + " models.toml");
        } catch (RegistryFormatException e) {
            throw new ConsumerException(e.getMessage(), e);
        }
    }

    /** The cached registry of a source and ref, syncing it first if it is not cached. */
    public Synced synced(SourceConfig s, String ref) throws IOException {
        RefState st = cache.state(s.key(), ref);
        byte[] b = st == null ? null : cache.registryBytes(s.key(), ref);
        if (st == null || b == null || (st.isOci() && !cache.has(st.digest()))) {
            SyncResult r = syncRef(s, ref, false);
            st = cache.state(s.key(), ref);
            b = cache.registryBytes(s.key(), ref);
            if (st == null || b == null) throw new ConsumerException(s.name() + "@" + ref + ": sync " + r.status());
        }
        return new Synced(s, ref, st, parse(b, s.name() + "@" + ref));
    }

    // ----------------------------------------------------------------------------------------- mirror, export

    /**
     * One ref of a configured source, ready to be copied elsewhere. OCI mode: {@code oci} is the artifact
     * ({@code LOCATION@DIGEST}) to copy as it is. GitHub mode: {@code config} is the verified models.toml, byte for
     * byte, and {@code files} maps every file key to its verified content in the cache. {@code gitRef} is the ref
     * (for a pin: the ref it was pinned from; null when unknown).
     */
    public record Exportable(Synced synced, String gitRef, String oci, byte[] config, Map<String, Path> files) {}

    /** The configured refs of a source (key or name). */
    public List<String> refsOf(String source) {
        return ModelLookup.source(config, source).refs();
    }

    /** Syncs {@code ref} of {@code source} if needed and, in GitHub mode, fetches and verifies every file it lists. */
    public Exportable exportable(String source, String ref) throws IOException {
        SourceConfig s = ModelLookup.source(config, source);
        Synced sy = synced(s, ref);
        RefState st = sy.state();
        String gitRef = !Digest.isDigest(ref) ? ref : st.isOci() ? refAnnotation(st) : st.tag();
        if (st.isOci()) { // from the endpoint that served it (a [mirrors] endpoint or the upstream)
            String from = st.servedBy() != null ? st.servedBy() : st.reference();
            return new Exportable(sy, gitRef, from + "@" + st.digest(), null, null);
        }
        byte[] bytes = cache.registryBytes(st);
        if (bytes == null) throw ConsumerException.notFound(sy.label() + ": registry is not in the cache");
        Map<String, Digest> digests = github.ensure(sy, sy.registry().files().keySet());
        Map<String, Path> files = new TreeMap<>();
        digests.forEach((k, d) -> files.put(k, cache.blob(d)));
        return new Exportable(sy, gitRef, null, bytes, files);
    }

    /** The git ref an OCI pin was published for (the manifest's {@code dev.modelreg.ref}), or null. */
    private String refAnnotation(RefState st) throws IOException {
        if (!cache.has(st.digest())) return null;
        byte[] b = Files.readAllBytes(cache.blob(st.digest()));
        if (!Digest.sha256Of(b).equals(st.digest())) return null;
        try {
            return dev.modelreg.spec.Manifest.parse(b, "manifest " + st.digest()).annotations()
                    .get(dev.modelreg.spec.Annotations.REF);
        } catch (RuntimeException e) {
            return null;
        }
    }

    // ------------------------------------------------------------------------------------------ info, list, clear

    public List<SourceInfo> info() throws IOException {
        List<RefState> states = cache.states();
        List<SourceInfo> out = new ArrayList<>();
        for (SourceConfig s : config.sources().values()) {
            List<RefState> cached = states.stream().filter(x -> x.source().equals(s.key())).toList();
            List<String> missing = s.refs().stream().filter(r -> cached.stream().noneMatch(c -> c.ref().equals(r))).toList();
            out.add(new SourceInfo(s.key(), s.name(), s.repo(), s.oci(), s.refs(), cached, missing));
        }
        return out;
    }

    /** Cached registries (optionally of one source, by key or name, and/or one ref) with their models. */
    public List<Listing> list(String source, String ref) throws IOException {
        List<Listing> out = new ArrayList<>();
        for (RefState st : cache.states()) {
            if (source != null && !source.equals(st.source()) && !source.equals(st.name())) continue;
            if (ref != null && !ref.equals(st.ref())) continue;
            byte[] b = cache.registryBytes(st.source(), st.ref());
            if (b == null) continue;
            ModelsToml r = parse(b, st.name() + "@" + st.ref());
            out.add(new Listing(st, List.copyOf(r.models().keySet()), List.copyOf(r.examples().keySet()), metadataOf(st)));
        }
        // nothing cached for a source that is not configured either: a misspelt name, not an empty listing
        if (out.isEmpty() && source != null) ModelLookup.source(config, source);
        return out;
    }

    /**
     * The metadata ({@link dev.modelreg.spec.Metadata#of}) of a cached OCI ref's manifest, which the cache keeps in
     * {@code blobs/} beside the config; empty for GitHub mode or a manifest no longer (or not validly) cached.
     */
    private Map<String, String> metadataOf(RefState st) {
        if (!st.isOci() || !cache.has(st.digest())) return Map.of();
        try {
            byte[] b = Files.readAllBytes(cache.blob(st.digest()));
            if (!Digest.sha256Of(b).equals(st.digest())) return Map.of();
            return dev.modelreg.spec.Metadata.of(dev.modelreg.spec.Manifest.parse(b, "manifest " + st.digest()).annotations());
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
    }

    /**
     * Removes cached registries: one ref, one source, or (neither given) the whole cache including blobs. Blobs are
     * shared between sources and refs, so they are only removed with the whole cache.
     */
    public ClearResult clear(String source, String ref) throws IOException {
        List<String> removed = new ArrayList<>();
        if (source == null && ref == null) {
            for (RefState st : cache.states()) removed.add(st.name() + "@" + st.ref());
            cache.removeAll();
            return new ClearResult(removed);
        }
        for (RefState st : cache.states()) {
            if (source != null && !source.equals(st.source()) && !source.equals(st.name())) continue;
            if (ref != null && !ref.equals(st.ref())) continue;
            if (cache.removeRef(st.source(), st.ref())) removed.add(st.name() + "@" + st.ref());
        }
        return new ClearResult(removed);
    }

    // ------------------------------------------------------------------------------------------- copy, pull

    /**
     * Copies one model into {@code workspace}: plans and fetches only that model's content, verifies everything, builds
     * the workspace in a staging directory beside it and swaps it in. Files keep their sub-folders relative to the
     * model's directory. An existing non-empty workspace is refused unless {@code overwrite}.
     */
    public CopyResult copy(String model, Path workspace, boolean overwrite) throws IOException {
        return copy(model, workspace, overwrite, false);
    }

    /**
     * {@link #copy(String, Path, boolean)}; with {@code noCache}, every byte it downloads is written once, into the
     * workspace, and none enters the cache (as {@link #pull(String, Path, List, boolean)}, spec/README.md 9.1).
     */
    public CopyResult copy(String model, Path workspace, boolean overwrite, boolean noCache) throws IOException {
        ModelLookup.Address a = ModelLookup.resolve(config, model, this::knownRefs);
        return copy(synced(a.source(), a.ref()), a.candidates(), model, workspace, overwrite, noCache);
    }

    /**
     * {@link #copy(String, Path, boolean)} with the model looked up in {@code ref} ({@code source@ref},
     * {@code REGISTRY/REPO:TAG|@DIGEST}, {@code oci-layout:DIR[:TAG|@DIGEST]} or {@code oci-archive:FILE[:TAG|@DIGEST]})
     * instead of the configured sources.
     */
    public CopyResult copyFrom(String ref, String model, Path workspace, boolean overwrite) throws IOException {
        return copyFrom(ref, model, workspace, overwrite, false);
    }

    /** {@link #copyFrom(String, String, Path, boolean)}; {@code noCache} as in {@link #copy(String, Path, boolean, boolean)}. */
    public CopyResult copyFrom(String ref, String model, Path workspace, boolean overwrite, boolean noCache) throws IOException {
        Synced s = pulled(ref);
        return copy(s, List.of(model, s.source().name() + "/" + model), model, workspace, overwrite, noCache);
    }

    private CopyResult copy(Synced s, List<String> candidates, String model, Path workspace, boolean overwrite,
                            boolean noCache) throws IOException {
        String name = ModelLookup.pick(s.registry(), candidates, s.label(), model);
        List<String> keys = s.registry().models().get(name);
        if (keys.isEmpty()) throw new ConsumerException("model '" + name + "' of " + s.label() + " lists no files");
        for (String k : keys) Workspace.safeRelative(k, s.label());
        String base = Workspace.commonDir(keys);
        Map<String, String> relByKey = new LinkedHashMap<>();
        for (String k : keys) relByKey.put(k, k.substring(base.length()));
        progress.accept("Copying " + name + " (" + Text.count(keys.size(), "file") + ") from " + s.label() + " to " + workspace);
        long bytes;
        Path root = workspace.toAbsolutePath().normalize();
        try (WorkspaceLock lock = WorkspaceLock.acquire(root, progress)) {
            bytes = withScratch(root, noCache, blobs -> Workspace.install(workspace, relByKey, overwrite,
                    "model '" + name + "' of " + s.label(), dests -> materialize(s, dests, blobs)));
        }
        return new CopyResult(name, s.source().key(), s.ref(), s.state().digest(), workspace.toAbsolutePath().normalize(),
                new TreeSet<>(relByKey.values()).stream().toList(), bytes);
    }

    /** What runs with a {@code --no-cache} scratch blob directory (null without {@code --no-cache}). */
    private interface WithScratch {
        long run(Path scratch) throws IOException;
    }

    /**
     * Runs {@code body} with, for {@code noCache}, a scratch blob directory beside {@code root} (same file system: its
     * blobs are renamed to their files), removed when it ends and registered for removal on an interrupt; one a killed
     * run left is removed by the next run into {@code root} ({@link Workspace#healLeftovers}).
     */
    private static long withScratch(Path root, boolean noCache, WithScratch body) throws IOException {
        if (!noCache) return body.run(null);
        Files.createDirectories(root.getParent());
        Path scratch = Files.createTempDirectory(root.getParent(), Workspace.scratchPrefix(root) + Leftovers.ownerTag());
        Cleanup.register(scratch);
        try {
            return body.run(scratch);
        } finally {
            Leftovers.removeTempDir(scratch);
        }
    }

    /**
     * Writes each key's verified content to its file (see {@link Workspace.Filler}), from the cache or the source; with
     * a {@code scratch} directory ({@code --no-cache}), downloaded layers and files skip the cache.
     */
    private long materialize(Synced s, Map<String, Path> dests, Path scratch) throws IOException {
        if (s.state().isOci()) return oci.materialize(s, dests, scratch);
        // each downloaded file is written to its workspace file in the download's pass; the rest is copied out
        AtomicLong bytes = new AtomicLong();
        List<Parallel.Task> tasks = new ArrayList<>();
        Map<String, Digest> digests;
        if (scratch == null) {
            Map<String, Digest> hashes = new LinkedHashMap<>();
            for (String k : dests.keySet()) {
                FileEntry e = s.registry().files().get(k);
                if (e != null && e.hash() != null) hashes.put(k, e.hash());
            }
            TeeSinks tee = new TeeSinks(hashes, dests, bytes);
            digests = new LinkedHashMap<>(github.ensure(s, dests.keySet(), tee::sink, null));
            digests.entrySet().removeIf(f -> tee.wrote(f.getValue(), dests.get(f.getKey())));
        } else { // --no-cache: downloaded files go to the scratch directory, then are renamed to their files
            NoCacheStore noCache = new NoCacheStore(scratch, Set.of());
            digests = new LinkedHashMap<>(github.ensure(s, dests.keySet(), null, noCache));
            Map<Digest, List<Path>> moved = new LinkedHashMap<>();
            for (Map.Entry<String, Digest> f : digests.entrySet()) {
                if (noCache.has(f.getValue())) moved.computeIfAbsent(f.getValue(), d -> new ArrayList<>()).add(dests.get(f.getKey()));
            }
            digests.values().removeIf(moved::containsKey);
            for (Map.Entry<Digest, List<Path>> m : moved.entrySet()) {
                tasks.add(() -> bytes.addAndGet(Workspace.moveOut(noCache.path(m.getKey()), m.getValue())));
            }
        }
        tasks.addAll(Workspace.copyOuts(cache, digests, dests, bytes, s.label()));
        Parallel.run(tasks, settings.concurrency());
        return bytes.get();
    }

    /**
     * Writes every file of a ref (or of the named models) into {@code dir} by its registry path, verified. {@code ref}
     * is {@code source@ref}, {@code REGISTRY/REPO:TAG|@DIGEST}, {@code oci-layout:DIR[:TAG|@DIGEST]} or
     * {@code oci-archive:FILE[:TAG|@DIGEST]}; a bare OCI
     * reference needs no bootstrap entry.
     */
    public CopyResult pull(String ref, Path dir, List<String> models) throws IOException {
        return pull(ref, dir, models, false);
    }

    /**
     * {@link #pull(String, Path, List)}; with {@code noCache}, every byte of the layers it downloads is written once,
     * into {@code dir}, and none enters the cache (spec/README.md 9.1): single-file layers are downloaded into a
     * scratch directory beside {@code dir} and renamed into place, tar layers are extracted without being stored.
     * Files the cache holds already are still copied from it; the manifest and the registry file are cached as always.
     */
    public CopyResult pull(String ref, Path dir, List<String> models, boolean noCache) throws IOException {
        Synced s = pulled(ref);
        Set<String> keys = new LinkedHashSet<>();
        if (models == null || models.isEmpty()) {
            keys.addAll(s.registry().files().keySet());
        } else {
            for (String m : models) {
                List<String> cands = List.of(m, s.source().name() + "/" + m);
                keys.addAll(s.registry().models().get(ModelLookup.pick(s.registry(), cands, s.label(), m)));
            }
        }
        List<String> list = List.copyOf(keys);
        for (String k : list) Workspace.safeRelative(k, s.label());
        Path root = dir.toAbsolutePath().normalize();
        Map<String, String> relByKey = new LinkedHashMap<>();
        for (String k : list) relByKey.put(k, k);
        String what = s.label() + " into " + root;
        long bytes;
        try (WorkspaceLock lock = WorkspaceLock.acquire(root, progress)) {
            Workspace.healLeftovers(root);
            if (Files.exists(root) && !Files.isDirectory(root)) {
                throw new ConsumerException("pull target " + root + " exists and is not a directory");
            }
            // into a new or empty directory: build it beside and swap it in (one rename); else file by file
            bytes = withScratch(root, noCache, blobs -> !Files.exists(root) || Workspace.isEmptyDir(root)
                    ? Workspace.install(root, relByKey, true, what, dests -> materialize(s, dests, blobs))
                    : Workspace.writeEach(root, relByKey, what, dests -> materialize(s, dests, blobs)));
        }
        progress.accept("Pulled " + Text.count(list.size(), "file") + " of " + s.label() + " into " + root);
        return new CopyResult(models == null || models.isEmpty() ? null : String.join(",", models), s.source().key(),
                s.ref(), s.state().digest(), root, list, bytes);
    }

    /** {@code source@ref} of a configured source, else a reference of the one grammar (no tag: {@code latest}). */
    private Synced pulled(String ref) throws IOException {
        int at = ref.indexOf('@');
        boolean local = ref.startsWith(Reference.LAYOUT_PREFIX) || ref.startsWith(Reference.ARCHIVE_PREFIX);
        if (at > 0 && !local) {
            SourceConfig s = findSource(ref.substring(0, at));
            if (s != null) return synced(s, ref.substring(at + 1));
        }
        Reference r;
        try {
            r = Reference.parse(ref);
        } catch (IllegalArgumentException e) {
            throw new ConsumerException(e.getMessage(), e);
        }
        String base = r.location();
        String tagOrDigest = r.reference() != null ? r.reference() : "latest";
        OciSource.Resolved res = oci.resolve(base, tagOrDigest, true, null, false, ref);
        SourceConfig adhoc = new SourceConfig(base, null, base, List.of(tagOrDigest), ".registry", base);
        RefState st = oci.stateFor(base, base, tagOrDigest, base, res);
        return new Synced(adhoc, tagOrDigest, st, parse(res.config(), ref));
    }

    // -------------------------------------------------------------------------------------------------- inspect

    /**
     * Describes one OCI artifact from its manifest and config alone (no layer is read): {@code ref} as for
     * {@link #pull} ({@code source@ref} is synced first, a HEAD when unchanged). Referrers are listed at the endpoint
     * that served the manifest (not offline); a failure to list them is reported, not thrown.
     */
    public Inspection inspect(String ref) throws IOException {
        Synced s = inspected(ref);
        RefState st = s.state();
        if (!st.isOci()) {
            throw new ConsumerException(ContentException.Kind.INVALID, s.label() + " was resolved from GitHub (" + st.transport()
                    + "): it has no manifest to inspect (list -v shows its models)");
        }
        byte[] raw = Files.readAllBytes(cache.blob(st.digest()));
        if (!Digest.sha256Of(raw).equals(st.digest())) throw new ConsumerException(ContentException.Kind.DIGEST_MISMATCH, "cached manifest " + st.digest() + " is corrupt: run modelreg sync --force");
        dev.modelreg.spec.Manifest m;
        try {
            m = dev.modelreg.spec.Manifest.parse(raw, s.label() + ": manifest " + st.digest());
        } catch (IllegalArgumentException e) {
            throw new ConsumerException(ContentException.Kind.INVALID, e.getMessage());
        }
        String at = st.servedBy() != null ? st.servedBy() : st.reference();
        dev.modelreg.content.Referrers.Found found = null;
        String why = null;
        if (settings.offline()) {
            why = "offline: referrers not listed";
        } else {
            try {
                found = dev.modelreg.content.Referrers.of(oci.target(at), st.digest());
            } catch (IOException e) {
                why = e.getMessage();
            }
        }
        return Inspection.of(ref, at, st.digest(), raw, m, s.registry(), found, why);
    }

    /** {@link #pulled}, except that a configured {@code source@ref} is synced first (one HEAD when unchanged). */
    private Synced inspected(String ref) throws IOException {
        int at = ref.indexOf('@');
        boolean local = ref.startsWith(Reference.LAYOUT_PREFIX) || ref.startsWith(Reference.ARCHIVE_PREFIX);
        if (at > 0 && !local) {
            SourceConfig s = findSource(ref.substring(0, at));
            if (s != null) {
                syncRef(s, ref.substring(at + 1), false);
                return synced(s, ref.substring(at + 1));
            }
        }
        return pulled(ref);
    }

    // --------------------------------------------------------------------------------------------------- verify

    /**
     * Compares {@code workspace} with the registry hashes of {@code model}, downloading no model file (the registry
     * itself is synced if it is not cached). Missing and modified files are reported; files without a hash in the
     * registry are listed as unverifiable.
     */
    public VerifyResult verify(String model, Path workspace) throws IOException {
        ModelLookup.Address a = ModelLookup.resolve(config, model, this::knownRefs);
        return verify(synced(a.source(), a.ref()), a.candidates(), model, workspace);
    }

    /** {@link #verify(String, Path)} against {@code ref} (as in {@link #copyFrom}) instead of the configured sources. */
    public VerifyResult verifyFrom(String ref, String model, Path workspace) throws IOException {
        Synced s = pulled(ref);
        return verify(s, List.of(model, s.source().name() + "/" + model), model, workspace);
    }

    private VerifyResult verify(Synced s, List<String> candidates, String model, Path workspace) throws IOException {
        String name = ModelLookup.pick(s.registry(), candidates, s.label(), model);
        Path ws = workspace.toAbsolutePath().normalize();
        try (WorkspaceLock lock = WorkspaceLock.forReading(ws, progress)) {
            if (lock != null) Workspace.healLeftovers(ws);
            return verifyFiles(s, name, ws);
        }
    }

    private VerifyResult verifyFiles(Synced s, String name, Path ws) throws IOException {
        if (Files.isRegularFile(ws)) {
            throw new ConsumerException("workspace " + ws + " is a file, not a directory (give the directory the model"
                    + " was copied into)");
        }
        if (!Files.isDirectory(ws)) throw ConsumerException.notFound("workspace " + ws + " does not exist");
        List<String> keys = s.registry().models().get(name);
        String base = Workspace.commonDir(keys);
        int matched = 0;
        List<Mismatch> bad = new ArrayList<>();
        List<String> unverifiable = new ArrayList<>();
        for (String k : keys) {
            String rel = Workspace.safeRelative(k, s.label()).substring(base.length());
            FileEntry e = s.registry().files().get(k);
            Path f = ws.resolve(rel);
            if (!Files.isRegularFile(f)) {
                bad.add(new Mismatch(rel, "missing", e == null ? null : e.hash(), null));
                continue;
            }
            if (e == null || e.hash() == null) {
                unverifiable.add(rel);
                continue;
            }
            Digest got = sha256(f);
            if (got.equals(e.hash())) matched++;
            else bad.add(new Mismatch(rel, "modified", e.hash(), got));
        }
        return new VerifyResult(name, s.source().key(), s.ref(), ws, matched, bad, unverifiable);
    }

    static Digest sha256(Path f) throws IOException {
        try (InputStream in = Files.newInputStream(f);
             DigestingOutputStream out = new DigestingOutputStream(OutputStream.nullOutputStream())) {
            Streams.copy(in, out, Files.size(f));
            return out.digest();
        }
    }
}
