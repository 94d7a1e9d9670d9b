package dev.modelreg.content;

import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.Limits;
import dev.modelreg.spec.Text;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The referrers of a root manifest and theirs, breadth first (oras-go's {@code findRoots}, with bounds): each
 * manifest met is listed ({@link Referrers#of}) once, its referrers visited level by level. What a store can make
 * us walk is bounded as a copy's graph is (spec section 14): {@link Limits#MAX_REFERRERS} per list (the listing
 * refuses more), {@link Limits#MAX_GRAPH_MANIFESTS} manifests with the root, referrers of referrers at most
 * {@link Limits#MAX_GRAPH_DEPTH} levels deep. A list names only manifests, and a manifest met twice (listed as the
 * referrer of two subjects, or of itself, or already in the graph of the copy: a referrer loop, which content
 * addressing cannot make, so the listing lies) is refused, INVALID, in one line naming both.
 */
final class ReferrerWalk {
    private ReferrerWalk() {}

    /** How a manifest's referrers are listed. */
    interface Lister {
        Referrers.Found list(Digest subject) throws IOException;
    }

    /** Sees each referrer once, after its subject: its subject's digest, its entry, its level (the root is 1). */
    interface Visitor {
        void visit(Digest subject, Referrers.Referrer referrer, int level) throws IOException;
    }

    private record Next(Digest digest, int level) {}

    /**
     * Walks the referrers of {@code root} in {@code src}; {@code known} tells a manifest the caller holds already
     * (the graph of the root: one listed as a referrer is a loop).
     */
    static void walk(ReadOnlyTarget src, Descriptor root, Predicate<Digest> known, Lister lister, Visitor visitor)
            throws IOException {
        String what = "the referrers of " + root.digest() + " in " + src.name();
        Set<Digest> seen = new HashSet<>();
        seen.add(root.digest());
        Deque<Next> queue = new ArrayDeque<>();
        queue.add(new Next(root.digest(), 1));
        while (!queue.isEmpty()) {
            Next n = queue.poll();
            Set<Digest> listed = new HashSet<>();
            for (Referrers.Referrer r : lister.list(n.digest()).referrers()) {
                Descriptor d = r.descriptor();
                if (!listed.add(d.digest())) continue; // an index that names one referrer twice: once
                String at = src.name() + ": the referrers of " + n.digest() + " list " + d.digest();
                if (!d.isManifest()) {
                    throw ContentException.invalid(at + ", which is not a manifest (mediaType '"
                            + Text.printable(d.mediaType()) + "')");
                }
                if (!seen.add(d.digest()) || known.test(d.digest())) {
                    throw ContentException.invalid(at + ", which is in " + what + " already (a referrer loop)");
                }
                if (n.level() + 1 > Limits.MAX_GRAPH_DEPTH) {
                    throw ContentException.invalid(what + " nest more than " + Limits.MAX_GRAPH_DEPTH
                            + " levels deep, the limit (referrer " + d.digest() + " of " + n.digest() + ")");
                }
                try {
                    Limits.checkCount(seen.size(), Limits.MAX_GRAPH_MANIFESTS, what + " with it", "manifests");
                } catch (IllegalArgumentException e) {
                    throw ContentException.invalid(e.getMessage());
                }
                visitor.visit(n.digest(), r, n.level() + 1);
                queue.add(new Next(d.digest(), n.level() + 1));
            }
        }
    }
}
