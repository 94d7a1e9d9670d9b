package dev.modelreg.content;

import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.ImageIndex;
import dev.modelreg.spec.Limits;
import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.MediaTypes;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The graph under a root manifest, read from its source the way a copy needs it: the manifests in push order
 * (children before their parents, the root last), their bytes, and the blobs they name. An image index is walked into
 * its manifests with a stack of our own, not by recursion, so a chain of nested indexes cannot exhaust the thread's
 * stack. What a source can make us fetch and hold is bounded (spec section 14): indexes nest at most
 * {@link Limits#MAX_GRAPH_DEPTH} levels on any path, the graph holds at most {@link Limits#MAX_GRAPH_MANIFESTS}
 * distinct manifests of at most {@link Limits#MAX_GRAPH_MANIFEST_BYTES} bytes together; both are checked on what an
 * index lists, before its entries are fetched. A refusal is one INVALID line naming the root and the source.
 * <p>With its referrers ({@link Scope}), the walk goes on from the root to the manifests that name it as their
 * {@code subject}, and theirs ({@link ReferrerWalk}, oras-go's extended copy): each referrer's graph is read as the
 * root's is, after its subject, within the same count, byte and depth limits (a referrer of the root is on level 2),
 * and must name the subject it was listed for.
 */
final class Graph {
    /** Manifests and indexes in push order: every child before its parent, the root last. */
    final List<Descriptor> manifests = new ArrayList<>();
    /** The bytes of each manifest in {@link #manifests}, verified against its descriptor. */
    final Map<Digest, byte[]> bytes = new LinkedHashMap<>();
    /** The blobs (configs, layers, an index's non-manifest entries) by digest, first descriptor seen. */
    final Map<Digest, Descriptor> blobs = new LinkedHashMap<>();
    /** The subject each manifest of {@link #manifests} names, for those that name one. */
    final Map<Digest, Descriptor> subjects = new LinkedHashMap<>();
    /** How many manifests of {@link #manifests} were found as referrers (of the root, or of its referrers). */
    int referrers;

    /** What a copy walks from its root. */
    enum Scope {
        /** The graph under the root. */
        ROOT,
        /** The graph under the root and its referrers', recursively (the source must be a {@link ReadOnlyTarget}). */
        ROOT_AND_REFERRERS,
        /** The referrers' graphs only: the destination has the root's already. */
        REFERRERS
    }

    private final ReadOnlyStorage src;
    private final String srcName;
    private final Predicate<Descriptor> layerFilter;
    private final String what;
    private final Map<Digest, Integer> heights = new HashMap<>(); // levels from a finished node down to its deepest leaf
    private final Map<Digest, Long> listed = new HashMap<>(); // every manifest met so far, fetched or not: its size
    private long listedBytes;

    /** One manifest on the walk's stack: its level (the root is 1), its child manifests once read, the next to visit. */
    private static final class Frame {
        final Descriptor node;
        final int level;
        List<Descriptor> children;
        int next;
        int height = 1;

        Frame(Descriptor node, int level) {
            this.node = node;
            this.level = level;
        }
    }

    private Graph(ReadOnlyStorage src, String srcName, Descriptor root, Predicate<Descriptor> layerFilter) {
        this.src = src;
        this.srcName = srcName;
        this.layerFilter = layerFilter;
        this.what = "the graph under " + root.digest() + " in " + srcName;
    }

    /**
     * Reads the graph under {@code root}; a layer is kept when {@code layerFilter} (null: all) accepts it. A manifest
     * the source cannot give fails as {@code source NAME: reading manifest DIGEST: ...}.
     */
    static Graph read(ReadOnlyStorage src, String srcName, Descriptor root, Predicate<Descriptor> layerFilter)
            throws IOException {
        return read(src, srcName, root, layerFilter, Scope.ROOT);
    }

    /** As {@link #read(ReadOnlyStorage, String, Descriptor, Predicate)}, with the root's referrers as {@code scope} says. */
    static Graph read(ReadOnlyStorage src, String srcName, Descriptor root, Predicate<Descriptor> layerFilter, Scope scope)
            throws IOException {
        Graph g = new Graph(src, srcName, root, layerFilter);
        g.list(root);
        if (scope != Scope.REFERRERS) g.walk(root, 1);
        if (scope != Scope.ROOT && src instanceof ReadOnlyTarget t) {
            ReferrerWalk.walk(t, root, g.listed::containsKey, g::referrersOf, (subject, r, level) -> {
                g.list(r.descriptor());
                g.walk(r.descriptor(), level);
                g.checkSubject(r.descriptor(), subject);
                g.referrers++;
            });
        }
        return g;
    }

    /** Walks the graph under {@code top} (on {@code level}), adding what it had not met to the push order. */
    private void walk(Descriptor top, int level) throws IOException {
        Deque<Frame> stack = new ArrayDeque<>();
        stack.push(new Frame(top, level));
        while (!stack.isEmpty()) {
            Frame f = stack.peek();
            if (f.children == null) f.children = visit(f.node);
            if (f.next < f.children.size()) {
                Descriptor child = f.children.get(f.next++);
                Integer done = heights.get(child.digest());
                if (done != null) { // reached before on another path: this path must be within the limit too
                    checkDepth(f.level + done, child);
                    f.height = Math.max(f.height, 1 + done);
                } else if (!bytes.containsKey(child.digest())) { // (one on the stack: a cycle, not followed)
                    checkDepth(f.level + 1, child);
                    stack.push(new Frame(child, f.level + 1));
                }
            } else {
                stack.pop();
                heights.put(f.node.digest(), f.height);
                manifests.add(f.node);
                Frame parent = stack.peek();
                if (parent != null) parent.height = Math.max(parent.height, 1 + f.height);
            }
        }
    }

    /** The referrers of {@code subject} in the source; a failure to list them is the source's. */
    private Referrers.Found referrersOf(Digest subject) throws IOException {
        try {
            return Referrers.of((ReadOnlyTarget) src, subject);
        } catch (ContentException e) {
            throw CopyException.of(CopyException.Origin.SOURCE, CopyException.Op.REFERRERS, "source " + srcName, e,
                    "listing the referrers of", subject);
        }
    }

    /** A referrer listed for {@code subject} must name it as its subject: a listing that lies is refused. */
    private void checkSubject(Descriptor referrer, Digest subject) throws ContentException {
        Descriptor named = subjects.get(referrer.digest());
        if (named == null || !named.digest().equals(subject)) {
            throw ContentException.invalid(srcName + ": the referrers of " + subject + " list manifest " + referrer.digest()
                    + (named == null ? ", which names no subject" : ", whose subject is " + named.digest()));
        }
    }

    /** Reads one manifest or index; returns the manifests an index lists (none for a manifest), each listed. */
    private List<Descriptor> visit(Descriptor node) throws IOException {
        byte[] b;
        try {
            b = Manifests.read(src, node, "manifest " + node.digest() + " in " + srcName);
        } catch (ContentException e) {
            throw CopyException.of(CopyException.Origin.SOURCE, CopyException.Op.FETCH, "source " + srcName, e,
                    "reading manifest", node.digest());
        }
        bytes.put(node.digest(), b);
        List<Descriptor> children = new ArrayList<>();
        try {
            if (isIndex(node)) {
                for (Descriptor entry : ImageIndex.parse(b, "index " + node.digest() + " in " + srcName).manifests()) {
                    if (entry.isManifest()) {
                        list(entry);
                        children.add(entry);
                    } else {
                        blobs.putIfAbsent(entry.digest(), entry);
                    }
                }
            } else {
                Manifest m = Manifest.parse(b, "manifest " + node.digest() + " in " + srcName);
                blobs.putIfAbsent(m.config().digest(), m.config());
                for (Descriptor l : m.layers()) {
                    if (layerFilter == null || layerFilter.test(l)) blobs.putIfAbsent(l.digest(), l);
                }
            }
        } catch (IllegalArgumentException e) {
            throw ContentException.invalid(e.getMessage());
        }
        Descriptor subject = ReferrerIndex.subjectOf(b, "manifest " + node.digest() + " in " + srcName);
        if (subject != null) subjects.put(node.digest(), subject);
        return children;
    }

    /** Counts a manifest met in an index (once per digest) against the count and byte limits, before it is fetched. */
    private void list(Descriptor d) throws ContentException {
        if (listed.putIfAbsent(d.digest(), d.size()) != null) return;
        listedBytes += Math.max(0, d.size());
        try {
            Limits.checkCount(listed.size(), Limits.MAX_GRAPH_MANIFESTS, what, "manifests");
            if (listedBytes > Limits.MAX_GRAPH_MANIFEST_BYTES) {
                throw new IllegalArgumentException("the manifests of " + what + " come to more than "
                        + Limits.MAX_GRAPH_MANIFEST_BYTES + " bytes, the limit for one copy");
            }
        } catch (IllegalArgumentException e) {
            throw ContentException.invalid(e.getMessage());
        }
    }

    /** Refuses {@code child} at {@code level} (or with its levels below reaching it) past the depth limit. */
    private void checkDepth(int level, Descriptor child) throws ContentException {
        if (level > Limits.MAX_GRAPH_DEPTH) {
            throw ContentException.invalid(what + " nests image indexes more than " + Limits.MAX_GRAPH_DEPTH
                    + " levels deep, the limit (" + level + " levels through manifest " + child.digest() + ")");
        }
    }

    static boolean isIndex(Descriptor d) {
        return MediaTypes.OCI_INDEX.equals(d.mediaType()) || MediaTypes.DOCKER_MANIFEST_LIST.equals(d.mediaType());
    }
}
