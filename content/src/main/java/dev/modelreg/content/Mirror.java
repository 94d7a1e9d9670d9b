package dev.modelreg.content;

import dev.modelreg.content.store.OciLayout;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.ImageIndex;
import dev.modelreg.spec.OciReference;
import dev.modelreg.spec.Reference;
import dev.modelreg.spec.Text;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code mirror SRC DST}: the one copy between two ends of the reference grammar, with the tag rules: the source
 * names a tag or a digest; the destination takes a tag (not a digest), else the source's tag; an archive is read by
 * tag, so a digest source into an archive needs a destination tag. The source is resolved before the destination
 * is opened (nothing is created for a source that does not resolve), and an archive is written whole at the end.
 * The ends are {@link Reference} values, parsed where their text entered; what is asked of the stores are their
 * capabilities: a {@link Repository} (its refs are its own, its tag names listed before any is resolved), a
 * {@link TagLister} and {@link NamedTagger} (a layout or archive: refs that record their repository).
 */
public final class Mirror {
    private Mirror() {}

    /** What was copied: the two ends by name, the root, the tag set (or null) and the copy's counts. */
    public record Result(String source, String destination, Descriptor root, String tag, CopyResult copy) {}

    /**
     * A source or destination of the wrong shape for the request (a missing tag, a digest destination), naming the text
     * at fault: a usage error. What a source holds is never one: bad content is a {@link ContentException}.
     */
    public static final class Usage extends IllegalArgumentException {
        Usage(String message) {
            super(message);
        }
    }

    /**
     * Replaces a ref's root before it is copied ({@code mirror --internalize}: a new manifest whose layers carry the
     * files its source keeps elsewhere); {@link #NONE} copies it as it is.
     */
    public interface Rewrite {
        Rewrite NONE = (src, root) -> new Rewritten(src, root);

        /** What to copy for {@code root} of {@code src}. */
        Rewritten apply(ReadOnlyTarget src, Descriptor root) throws IOException;
    }

    /** What a {@link Rewrite} gives: the content to copy (it serves the root and every blob under it), and the root. */
    public record Rewritten(ReadOnlyStorage content, Descriptor root) {}

    /** Usage errors (a missing tag, a digest destination) are {@link Usage}. */
    public static Result run(Reference src, Reference dst, RegistryOptions o, CopyOptions co) throws IOException {
        return run(src, dst, o, co, Rewrite.NONE);
    }

    /** As above, copying what {@code rewrite} makes of the source's root. */
    public static Result run(Reference src, Reference dst, RegistryOptions o, CopyOptions co, Rewrite rewrite)
            throws IOException {
        if (src.reference() == null) {
            throw new Usage("source '" + src + "' needs a :TAG or @DIGEST, --all-tags or --tags GLOB");
        }
        if (dst.digest() != null) throw new Usage("destination '" + dst + "' takes a tag, not a digest");
        String tag = dst.tag() != null ? dst.tag() : src.digest() == null ? src.tag() : null;
        if (tag == null && dst.kind() == Reference.Kind.ARCHIVE) {
            throw new Usage("destination '" + dst
                    + "' needs a :TAG (the source is a digest; an archive is read by tag)");
        }
        try (Targets.Opened in = Targets.openExisting(src, o)) {
            Descriptor resolved = in.target().resolve(src.reference());
            String repository = repositoryOf(in.target(), src.tag(), resolved);
            Rewritten rw = rewrite.apply(in.target(), resolved); // before the destination is opened
            Descriptor root = rw.root();
            try (Targets.Opened out = Targets.open(dst, o)) {
                CopyOptions opts = co == null ? CopyOptions.defaults() : co;
                Copy c = Copy.moved(rw.content(), root, out.target(), opts, scope(opts));
                if (tag != null && out.target() instanceof NamedTagger named) named.tag(root, tag, repository);
                else if (tag != null) c.tag(root, tag);
                c.linkReferrers(); // after the subject's tag
                CopyResult r = c.result(root);
                out.commit();
                return new Result(in.target().name(), out.target().name(), root, tag, r);
            }
        }
    }

    /** The repository a ref came from: a registry's name, or what a layout or archive recorded for the tag; else null. */
    private static String repositoryOf(ReadOnlyTarget in, String tag, Descriptor root) throws IOException {
        if (in instanceof Repository r) return r.name();
        if (tag == null || !(in instanceof TagLister l)) return null;
        String found = null;
        for (ImageIndex.Named n : l.refs()) {
            if (n.tag().equals(tag) && n.manifest().digest().equals(root.digest())) found = n.repository();
        }
        return found;
    }

    /** Which tags a many-ref mirror moves: every one ({@code --all-tags}), or those matching a glob ({@code --tags}). */
    public record Selection(boolean all, String glob) {
        public static final Selection NONE = new Selection(false, null);

        public boolean any() {
            return all || glob != null;
        }

        /** {@code *} matches any run of characters, {@code ?} one; everything else is literal. */
        public boolean matches(String tag) {
            if (glob == null) return true;
            StringBuilder re = new StringBuilder();
            for (char c : glob.toCharArray()) {
                re.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
            }
            return tag.matches(re.toString());
        }
    }

    /** One ref of a many-ref mirror: where it landed; {@code copy} is null when the destination already had it. */
    public record Moved(String source, String destination, String tag, Descriptor root, CopyResult copy) {
        public boolean skipped() {
            return copy == null;
        }
    }

    /** Whether {@code src} asks for a many-ref mirror: a selection, or a layout or archive source without a tag or digest. */
    public static boolean isMany(Reference src, Selection sel) {
        return sel.any() || (src.reference() == null && src.isLocal());
    }

    /**
     * {@code mirror SRC DST} for many refs: every tag of a registry repository ({@code --all-tags}, or those matching
     * {@code --tags GLOB}), or every ref of a layout or archive (SRC without a tag). Into a layout or archive, each ref
     * keeps its tag and repository ({@link ImageIndex#withTag(String, Descriptor, String)}). Into a registry, a ref
     * that names a repository goes to {@code DST/PATH:TAG}, PATH being its repository without the registry host
     * ({@link #repositoryPath}); a ref without one (and every ref from a registry) to {@code DST:TAG}. A tag already
     * pointing at the same manifest is skipped; blobs the destination has are not sent. Every ref's content is
     * copied and verified before any tag is set, so a bad blob anywhere leaves no tag set at the destination.
     */
    public static List<Moved> runAll(Reference src, Reference dst, Selection sel, RegistryOptions o, CopyOptions co)
            throws IOException {
        return runAll(src, dst, sel, o, co, Rewrite.NONE);
    }

    /** As above, copying what {@code rewrite} makes of each ref's root (every ref rewritten before anything is copied). */
    public static List<Moved> runAll(Reference src, Reference dst, Selection sel, RegistryOptions o, CopyOptions co,
                                     Rewrite rewrite) throws IOException {
        if (src.reference() != null && sel.any()) {
            throw new Usage("source '" + src + "' names one ref: drop its :TAG/@DIGEST to use --all-tags or --tags");
        }
        if (src.reference() == null && !src.isLocal() && !sel.any()) {
            throw new Usage("source '" + src + "' needs a :TAG or @DIGEST, --all-tags or --tags GLOB");
        }
        if (dst.reference() != null) {
            throw new Usage("destination '" + dst + "' takes no tag or digest when several refs are copied");
        }
        try (Targets.Opened in = Targets.openExisting(src, o)) {
            List<ImageIndex.Named> refs = new ArrayList<>();
            if (in.target() instanceof Repository reg) { // select by name first: one HEAD per selected tag only
                for (String t : reg.listTags()) if (sel.matches(t)) refs.add(new ImageIndex.Named(reg.name(), t, reg.resolve(t)));
            } else if (in.target() instanceof TagLister l) {
                for (ImageIndex.Named n : l.refs()) if (sel.matches(n.tag())) refs.add(n);
            } else {
                throw ContentException.invalid(in.target().name() + " cannot list its refs");
            }
            if (refs.isEmpty()) {
                throw ContentException.notFound("no tags in " + in.target().name() + (sel.glob() != null ? " match '" + sel.glob() + "'" : ""));
            }
            CopyOptions opts = co == null ? CopyOptions.defaults() : co;
            if (opts.referrers()) dropReferrersTags(refs);
            boolean fromRegistry = in.target() instanceof Repository; // its refs are its own: no repository recorded
            List<Reference> tos = new ArrayList<>();
            java.util.Set<String> listed = new java.util.HashSet<>();
            for (java.util.Iterator<ImageIndex.Named> it = refs.iterator(); it.hasNext(); ) {
                ImageIndex.Named n = it.next();
                Reference to = destinationOf(dst, n, fromRegistry, in.target().name());
                if (listed.add(to.location() + "\0" + n.repository() + "\0" + n.tag() + "\0" + n.manifest().digest())) {
                    tos.add(to);
                } else {
                    it.remove(); // the same manifest under the same name again: once is enough
                }
            }
            checkOneManifestPerTag(refs, tos, in.target().name());
            List<Rewritten> rewritten = new ArrayList<>();
            for (ImageIndex.Named n : refs) rewritten.add(rewrite.apply(in.target(), n.manifest()));
            Map<String, Targets.Opened> outs = new LinkedHashMap<>();
            List<Copy> copies = new ArrayList<>();
            Map<Target, List<ImageIndex.Named>> present = new java.util.IdentityHashMap<>(); // a layout's or archive's refs, read once
            try {
                List<Moved> plan = new ArrayList<>();
                List<Target> where = new ArrayList<>();
                for (int i = 0; i < refs.size(); i++) {
                    ImageIndex.Named n = refs.get(i);
                    Reference to = tos.get(i);
                    Targets.Opened out = outs.get(to.location());
                    if (out == null) {
                        out = Targets.open(to, o);
                        outs.put(to.location(), out);
                    }
                    String repository = fromRegistry ? in.target().name() : n.repository();
                    Rewritten rw = rewritten.get(i);
                    boolean there = has(out.target(), present, n.tag(), repository, rw.root());
                    Copy c = there && !opts.referrers() ? null // there: its referrers may not be
                            : Copy.moved(rw.content(), rw.root(), out.target(), opts, there ? Graph.Scope.REFERRERS : scope(opts));
                    CopyResult r = c == null || (there && c.result(rw.root()).blobsCopied() == 0) ? null : c.result(rw.root());
                    plan.add(new Moved(in.target().name(), out.target().name(), n.tag(), rw.root(), r));
                    where.add(out.target());
                    copies.add(c);
                }
                for (int i = 0; i < plan.size(); i++) { // tags last, once every ref's content is in
                    Moved m = plan.get(i);
                    if (m.skipped()) continue;
                    Target t = where.get(i);
                    if (t instanceof NamedTagger named) named.tag(m.root(), m.tag(), fromRegistry ? in.target().name() : refs.get(i).repository());
                    else t.tag(m.root(), m.tag());
                }
                for (Copy c : copies) if (c != null) c.linkReferrers(); // after their subjects' tags
                for (Targets.Opened out : outs.values()) out.commit();
                return plan;
            } finally {
                IOException first = null;
                for (Targets.Opened out : outs.values()) {
                    try {
                        out.close();
                    } catch (IOException e) {
                        if (first == null) first = e;
                    }
                }
                if (first != null) throw first;
            }
        }
    }

    /** What a copy from a target walks: the root, with its referrers unless the options say not to. */
    private static Graph.Scope scope(CopyOptions o) {
        return o.referrers() ? Graph.Scope.ROOT_AND_REFERRERS : Graph.Scope.ROOT;
    }

    /**
     * Leaves out the referrers tags ({@code sha256-HEX}) of refs that are selected: their referrers go with their
     * subject, and the destination gets its own referrers tag (or none, with the referrers API), listing what it
     * holds. A referrers tag whose subject is not selected is copied as any tag.
     */
    private static void dropReferrersTags(List<ImageIndex.Named> refs) {
        java.util.Set<dev.modelreg.spec.Digest> roots = new java.util.HashSet<>();
        for (ImageIndex.Named n : refs) roots.add(n.manifest().digest());
        refs.removeIf(n -> Referrers.isReferrersTag(n.tag()) && roots.contains(Referrers.subjectOfTag(n.tag())));
    }

    /**
     * Where ref {@code n} of a many-ref mirror goes: {@code dst}, or into a registry, for a ref of a layout or archive
     * that names a repository, {@code DST/PATH} ({@link #repositoryPath}). A repository that cannot be one there is
     * the source's invalid content (INVALID, naming the ref), not a usage error.
     */
    private static Reference destinationOf(Reference dst, ImageIndex.Named n, boolean fromRegistry, String source)
            throws ContentException {
        if (dst.kind() != Reference.Kind.REGISTRY || fromRegistry || n.repository() == null) return dst;
        OciReference r = dst.registry();
        try {
            return new Reference(Reference.Kind.REGISTRY, r.withRepository(r.repository() + "/" + repositoryPath(n.repository())),
                    null, null, null, null);
        } catch (IllegalArgumentException e) {
            throw ContentException.invalid(source + ": ref '" + Text.printable(n.displayName()) + "' names a repository"
                    + " that cannot be one under " + r + ": " + e.getMessage());
        }
    }

    /**
     * Refuses (INVALID, before anything is copied) two refs that would get one tag at the destination but name
     * different manifests: the same tag into the same registry repository, or into a layout or archive the same tag
     * of the same repository or of none (what {@link ImageIndex#withTag(String, Descriptor, String)} replaces). A
     * pull refuses such a tag the same way ({@link OciLayout#resolve}).
     */
    private static void checkOneManifestPerTag(List<ImageIndex.Named> refs, List<Reference> tos, String source)
            throws ContentException {
        Map<String, List<Integer>> byTag = new LinkedHashMap<>(); // destination and tag: the refs that go there
        for (int i = 0; i < refs.size(); i++) {
            byTag.computeIfAbsent(tos.get(i).location() + "\0" + refs.get(i).tag(), k -> new ArrayList<>()).add(i);
        }
        for (List<Integer> same : byTag.values()) {
            if (same.size() < 2) continue;
            boolean registry = tos.get(same.get(0)).kind() == Reference.Kind.REGISTRY;
            Integer bare = null; // into a layout or archive: a ref of no repository takes the tag from every repository
            for (int i : same) if (refs.get(i).repository() == null && bare == null) bare = i;
            Map<String, Integer> first = new java.util.HashMap<>();
            for (int i : same) {
                String key = registry || bare != null ? "" : refs.get(i).repository();
                Integer other = bare != null ? bare : first.putIfAbsent(key, i);
                if (other != null && !refs.get(other).manifest().digest().equals(refs.get(i).manifest().digest())) {
                    throw twoManifests(refs.get(other), refs.get(i), source, tos.get(i));
                }
            }
        }
    }

    private static ContentException twoManifests(ImageIndex.Named a, ImageIndex.Named b, String source, Reference to) {
        return ContentException.invalid("tag '" + Text.printable(a.tag()) + "' names different manifests in " + source + " ("
                + Text.printable(a.displayName()) + " " + a.manifest().digest() + ", " + Text.printable(b.displayName()) + " "
                + b.manifest().digest() + "), which would get one tag in " + to.location()
                + ": mirror one of them by digest, with a tag of its own");
    }

    /** Whether {@code out} already has {@code tag} (of {@code repository}, in a layout or archive) at {@code manifest}. */
    private static boolean has(Target out, Map<Target, List<ImageIndex.Named>> present, String tag, String repository,
                               Descriptor manifest) throws IOException {
        try {
            if (out instanceof NamedTagger && out instanceof TagLister l) { // a layout or archive: its refs, read once
                List<ImageIndex.Named> refs = present.get(out);
                if (refs == null) {
                    try {
                        refs = l.refs();
                    } catch (ContentException e) {
                        if (e.kind() != ContentException.Kind.NOT_FOUND) throw e;
                        refs = List.of(); // an archive not written yet
                    }
                    present.put(out, refs);
                }
                for (ImageIndex.Named n : refs) {
                    if (n.tag().equals(tag) && java.util.Objects.equals(n.repository(), repository)
                            && n.manifest().digest().equals(manifest.digest())) return true;
                }
                return false;
            }
            return out.resolve(tag).digest().equals(manifest.digest()) && out.exists(manifest);
        } catch (ContentException e) {
            if (e.kind() == ContentException.Kind.NOT_FOUND) return false;
            throw e;
        }
    }

    /**
     * A repository name without its registry host: {@code 127.0.0.1:5000/a/b} gives {@code a/b}. The first component
     * is a host when it holds a {@code .} or {@code :} or is {@code localhost} (Docker's rule); otherwise the name is
     * kept whole ({@code library/x} stays {@code library/x}).
     */
    public static String repositoryPath(String repository) {
        int slash = repository.indexOf('/');
        if (slash < 0) return repository;
        String first = repository.substring(0, slash);
        boolean host = first.contains(".") || first.contains(":") || first.equals("localhost");
        return host ? repository.substring(slash + 1) : repository;
    }

    /** {@code DST[:TAG]@DIGEST}: where the copy landed. */
    public static String landed(Result r) {
        return r.destination() + (r.tag() != null ? ":" + r.tag() : "") + "@" + r.root().digest();
    }
}
