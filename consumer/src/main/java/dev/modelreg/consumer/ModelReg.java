package dev.modelreg.consumer;

import dev.modelreg.spec.RegistryFormatException;
import dev.modelreg.consumer.Results.ClearResult;
import dev.modelreg.consumer.Results.CopyResult;
import dev.modelreg.consumer.Results.Exported;
import dev.modelreg.consumer.Results.Listing;
import dev.modelreg.consumer.Results.SourceInfo;
import dev.modelreg.consumer.Results.SyncResult;
import dev.modelreg.consumer.Results.VerifyResult;
import dev.modelreg.content.CopyListener;
import dev.modelreg.content.CopyOptions;
import dev.modelreg.content.Mirror;
import dev.modelreg.content.RegistryOptions;
import dev.modelreg.publisher.CreationTime;
import dev.modelreg.spec.BootstrapConfig;
import dev.modelreg.spec.RefSpec;
import dev.modelreg.spec.Reference;
import dev.modelreg.spec.SourceConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The consumer as a library: load the sources, sync their registries, list models, copy a model into a workspace,
 * pull a whole ref, verify a workspace, export a source's refs to a registry, layout or archive. It picks the source
 * that serves a ref (an OCI repository, layout or archive; GitHub release assets or raw files) and runs it; the CLI
 * commands are thin wrappers over these methods.
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
    private final Sources sources;
    private final Syncer syncer;
    private final Checkout checkout;
    private final Inventory inventory;
    private final SourceExport export;
    private Consumer<String> progress = m -> {};
    private CopyListener transfers = CopyListener.NONE;

    public ModelReg(BootstrapConfig config, Settings settings) {
        this.config = config;
        this.settings = settings;
        this.cache = new Cache(settings.cacheRoot());
        Consumer<String> report = m -> progress.accept(m);
        this.sources = new Sources(settings, cache, config.mirrors(), report);
        this.syncer = new Syncer(config, settings, cache, sources, report);
        this.checkout = new Checkout(sources, cache, report);
        this.inventory = new Inventory(config, cache);
        this.export = new SourceExport(config, syncer, sources, report);
    }

    /** Bundled bootstrap plus the user overlay (or MODELREG_CONFIG alone), settings from the process environment. */
    public static ModelReg fromEnvironment() throws RegistryFormatException {
        return new ModelReg(loadConfig(null, System.getenv()), Settings.fromEnvironment());
    }

    /**
     * {@code configFile} (or {@code $MODELREG_CONFIG}) alone when given; else the bundled bootstrap with the user
     * overlay {@code $XDG_CONFIG_HOME/modelreg/models.toml} ({@code %APPDATA%\modelreg\models.toml} on Windows),
     * whose source tables replace bundled ones whole.
     */
    public static BootstrapConfig loadConfig(Path configFile, Map<String, String> env) throws RegistryFormatException {
        return BootstrapConfig.resolve(configFile, env, System.getProperty("os.name", ""));
    }

    /** Where progress lines go (the CLI sends them to stderr); default: nowhere. */
    public ModelReg onProgress(Consumer<String> sink) {
        this.progress = sink == null ? m -> {} : sink;
        return this;
    }

    /** The hooks of every blob transfer (the CLI's progress display); default: none. */
    public ModelReg onTransfer(CopyListener listener) {
        this.transfers = listener == null ? CopyListener.NONE : listener;
        sources.listener(listener);
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
        return sources.requestCount();
    }

    /**
     * Parses what {@code pull}, {@code inspect} and {@code copy --from} read: {@code SOURCE@REF} of a configured source
     * (key or name), else a reference ({@code REGISTRY/REPO:TAG|@DIGEST}, {@code oci-layout:DIR[:TAG|@DIGEST]},
     * {@code oci-archive:FILE[:TAG|@DIGEST]}).
     */
    public RefSpec ref(String text) throws ConsumerException {
        try {
            return RefSpec.parse(text, k -> syncer.find(k) != null);
        } catch (IllegalArgumentException e) {
            throw new ConsumerException(e.getMessage(), e);
        }
    }


    public List<SyncResult> sync(String source, String ref, boolean force) throws ConsumerException {
        return sync(source, ref, null, force);
    }

    /**
     * Syncs every configured ref of every source, or of {@code source} (key or name), or just {@code ref}.
     * {@code repo} (OWNER/NAME) overrides the GitHub repository, or defines an ad-hoc source when {@code source} is not
     * configured; without a source it syncs the configured sources of that repository (devtools'
     * {@code sync --repo OWNER/NAME --ref REF}). Failures are returned per ref, not thrown.
     *
     * @throws InvalidRequestException a {@code repo} without a source that no configured source has
     */
    public List<SyncResult> sync(String source, String ref, String repo, boolean force) throws ConsumerException {
        return cache.using(() -> syncer.sync(source, ref, repo, force));
    }

    /** The cached registry of a source and ref, syncing it first if it is not cached. */
    public Synced synced(SourceConfig s, String ref) throws IOException {
        return cache.using(() -> syncer.synced(s, ref));
    }

    /**
     * Copies refs of a configured source (key or name) to {@code destination}, a repository without tag or digest
     * ({@code REGISTRY/REPO}, {@code oci-layout:DIR}, {@code oci-archive:FILE}, added to if it exists), each under the
     * tag of its git ref: {@code refs}, or the source's configured refs when null or empty. Every ref is resolved (and
     * in GitHub mode every file fetched and verified) before anything is written. An OCI-mode ref is copied as it is;
     * a GitHub-mode ref becomes an artifact whose config is its models.toml, created at {@code created}
     * ({@link CreationTime#fromEnvironment()}: {@code SOURCE_DATE_EPOCH}, else the epoch). The destination is reached
     * with {@link Settings#registryOptions()}.
     *
     * @throws InvalidRequestException a destination with a tag or digest, no refs, a pin with no git ref, two refs
     *                                 with one tag
     */
    public List<Exported> export(String source, List<String> refs, Reference destination, CreationTime created)
            throws IOException {
        return export(source, refs, destination, created, ExportOptions.DEFAULT);
    }

    /**
     * As above, an OCI-mode ref copied as {@code options} say: with its files stored outside the registry in layers
     * ({@link #internalizer()}), without its referrers.
     */
    public List<Exported> export(String source, List<String> refs, Reference destination, CreationTime created,
                                 ExportOptions options) throws IOException {
        CopyOptions copy = CopyOptions.of(settings.registryOptions()).withListener(transfers)
                .withReferrers(options.referrers());
        return cache.using(() -> export.run(source, refs, destination, created, settings.registryOptions(), copy,
                options.internalize() ? internalizer() : Mirror.Rewrite.NONE));
    }

    /**
     * For {@link Mirror#run(Reference, Reference, RegistryOptions, CopyOptions, Mirror.Rewrite)} ({@code mirror
     * --internalize}): a model set with files stored outside the registry (spec/README.md 3.14) becomes a manifest
     * whose layers carry them, fetched from their URLs through this cache and verified; anything else is copied as it is.
     */
    public Mirror.Rewrite internalizer() {
        return new Internalize(settings, cache, CopyOptions.of(settings.registryOptions())
                .withConcurrency(settings.concurrency()).withListener(transfers));
    }


    public List<SourceInfo> info() throws IOException {
        return cache.using(inventory::info);
    }

    /** Cached registries (optionally of one source, by key or name, and/or one ref) with their models. */
    public List<Listing> list(String source, String ref) throws IOException {
        return cache.using(() -> inventory.list(source, ref));
    }

    /**
     * Removes cached registries: one ref, one source, or (neither given) every ref; then the blobs no remaining ref
     * references ({@link CacheUsage#prune}).
     */
    public ClearResult clear(String source, String ref) throws IOException {
        return inventory.clear(source, ref);
    }

    /** What the cached refs reference and the cache holds ({@code cache ls}), and its pruning ({@code cache prune}). */
    public CacheUsage cacheUsage() {
        return new CacheUsage(cache, progress);
    }


    /**
     * Copies one model into {@code workspace}: plans and fetches only that model's content, verifies everything,
     * builds the workspace in a staging directory beside it and swaps it in. Files keep their sub-folders relative to
     * the model's directory, those {@code files}' globs select. An existing non-empty workspace is refused unless
     * {@code overwrite}. {@code how} says how files are put in place: copies of cached blobs ({@link Placement#COPY}),
     * written once and kept out of the cache ({@link Placement#NO_CACHE}), or read-only hard links to the cache
     * ({@link Placement#LINK}); spec/README.md 9.1.
     */
    public CopyResult copy(String model, Path workspace, boolean overwrite, Placement how, Selection files)
            throws IOException {
        ModelLookup.Address a = ModelLookup.resolve(config, model, syncer::knownRefs);
        return cache.using(() -> checkout.copy(syncer.synced(a.source(), a.ref()), a.candidates(), model, workspace, overwrite,
                how, files));
    }

    public CopyResult copy(String model, Path workspace, boolean overwrite) throws IOException {
        return copy(model, workspace, overwrite, Placement.COPY, Selection.ALL);
    }

    /** {@link #copy(String, Path, boolean, Placement, Selection)} with the model looked up in {@code from}. */
    public CopyResult copyFrom(RefSpec from, String model, Path workspace, boolean overwrite, Placement how,
                               Selection files) throws IOException {
        return cache.using(() -> checkout.copy(syncer.open(from, false), model, workspace, overwrite, how, files));
    }

    public CopyResult copyFrom(String from, String model, Path workspace, boolean overwrite) throws IOException {
        return copyFrom(ref(from), model, workspace, overwrite, Placement.COPY, Selection.ALL);
    }

    /**
     * Writes the files of {@code ref} that {@code files} selects (every file, some models, globs) into {@code dir} by
     * their registry paths, verified, fetching only the layers that hold them; a reference without a tag reads
     * {@code latest}. {@code how} says how files are put in place ({@link #copy(String, Path, boolean, Placement,
     * Selection)}).
     */
    public CopyResult pull(RefSpec ref, Path dir, Selection files, Placement how) throws IOException {
        return cache.using(() -> checkout.pull(syncer.open(ref, false), ref.toString(), dir, files, how));
    }

    public CopyResult pull(String ref, Path dir, List<String> models) throws IOException {
        return pull(ref(ref), dir, Selection.models(models), Placement.COPY);
    }

    /**
     * Compares {@code workspace} with the registry hashes of {@code model}, downloading no model file (the registry
     * itself is synced if it is not cached). Missing and modified files are reported; files without a hash in the
     * registry are listed as unverifiable.
     */
    public VerifyResult verify(String model, Path workspace) throws IOException {
        ModelLookup.Address a = ModelLookup.resolve(config, model, syncer::knownRefs);
        return cache.using(() -> checkout.verify(syncer.synced(a.source(), a.ref()), a.candidates(), model, workspace));
    }

    /** {@link #verify(String, Path)} against {@code from} instead of the configured sources. */
    public VerifyResult verifyFrom(RefSpec from, String model, Path workspace) throws IOException {
        return cache.using(() -> checkout.verify(syncer.open(from, false), model, workspace));
    }

    public VerifyResult verifyFrom(String from, String model, Path workspace) throws IOException {
        return verifyFrom(ref(from), model, workspace);
    }

    /**
     * Describes one OCI artifact from its manifest and config alone (no layer is read); {@code SOURCE@REF} is synced
     * first (a HEAD when unchanged). Referrers are listed at the endpoint that served the manifest (not offline); a
     * failure to list them is reported, not thrown.
     */
    public Inspection inspect(RefSpec ref) throws IOException {
        return cache.using(() -> sources.inspect(syncer.open(ref, true), ref.toString()));
    }

    public Inspection inspect(String ref) throws IOException {
        return inspect(ref(ref));
    }

    /**
     * Compares two refs from their registries and manifests alone (no layer or file is read; a {@code SOURCE@REF} is
     * synced first): models and files added, removed and changed, and what a pull of {@code b} moves into a cache that
     * holds every file of {@code a}. The refs may be of different transports (a GitHub-mode ref against an artifact).
     */
    public RefDiff diff(RefSpec a, RefSpec b) throws IOException {
        return cache.using(() -> RefDiff.between(sources, a.toString(), syncer.open(a, true), b.toString(),
                syncer.open(b, true)));
    }
}
