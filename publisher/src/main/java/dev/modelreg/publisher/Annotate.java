package dev.modelreg.publisher;

import dev.modelreg.content.ContentException;
import dev.modelreg.content.Manifests;
import dev.modelreg.content.RegistryOptions;
import dev.modelreg.content.TagCondition;
import dev.modelreg.content.Target;
import dev.modelreg.content.Targets;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.Json;
import dev.modelreg.spec.MediaTypes;
import dev.modelreg.spec.ModelregException;
import dev.modelreg.spec.Reference;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Changes the annotations of a pushed ref without a re-push: the manifest a tag points at is written again with the
 * same config and layers (no blob is read or moved) and the merged annotations, and the tag is moved to it, only if it
 * still points at the manifest that was read (a {@link TagCondition#at} guard: a tag moved meanwhile is a CONFLICT and
 * the new manifest stays untagged). Every other field of the manifest ({@code artifactType}, {@code subject}, fields
 * of other tools) is kept as it is; annotation keys are sorted. The old manifest stays addressable by digest (a pin
 * keeps resolving); referrers of the old manifest (signatures) are not carried over.
 * <pre>{@code
 * Annotate.Result r = Annotate.run(Reference.parse("ghcr.io/org/models:v1"),
 *         Map.of("org.opencontainers.image.description", "reviewed"), RegistryOptions.fromEnvironment());
 * }</pre>
 */
public final class Annotate {
    private Annotate() {}

    /**
     * What was done.
     *
     * @param location the repository, layout or archive
     * @param tag      the tag moved
     * @param old      the manifest it pointed at
     * @param digest   the manifest it points at now (equal to {@code old} when no annotation changed)
     */
    public record Result(String location, String tag, Digest old, Digest digest) {
        /** {@code moved}, or {@code unchanged} when the annotations were already so. */
        public String status() {
            return old.equals(digest) ? "unchanged" : "moved";
        }
    }

    /**
     * Sets {@code annotations} (they replace the values of keys already there) on the manifest {@code ref} tags and
     * moves the tag to the result. {@code ref} is {@code REGISTRY/REPOSITORY:TAG}, {@code oci-layout:DIR:TAG} or
     * {@code oci-archive:FILE:TAG}; with {@code @DIGEST} too, the tag must point at that digest.
     *
     * @throws PublishException   no tag, an image index or a Docker manifest (which has no annotations)
     * @throws ContentException   CONFLICT when the tag is not at the manifest read (or at the digest given); a missing
     *                            tag (NOT_FOUND) or a failed transfer
     */
    public static Result run(Reference ref, Map<String, String> annotations, RegistryOptions ro) throws IOException {
        if (ref.tag() == null) throw PublishException.invalid("'" + ref + "' names no tag: annotate moves a tag (REF:TAG)");
        if (annotations.isEmpty()) throw PublishException.invalid("nothing to annotate: give annotations or a metadata file");
        try (Targets.Opened opened = Targets.openExisting(ref.withTag(null).withDigest(null), ro)) {
            Target t = opened.target();
            Descriptor old = t.resolve(ref.tag());
            TagCondition guard = TagCondition.at(ref.digest() != null ? ref.digest() : old.digest());
            guard.check(ref.tag(), old.digest(), null, t.name());
            String what = "manifest " + old.digest() + " of tag '" + ref.tag() + "' in " + t.name();
            if (!MediaTypes.OCI_MANIFEST.equals(old.mediaType())) {
                throw PublishException.invalid(what + " is " + old.mediaType() + ": annotate rewrites an OCI image manifest ("
                        + MediaTypes.OCI_MANIFEST + ")");
            }
            byte[] bytes = withAnnotations(Manifests.read(t, old, what), annotations, what);
            Descriptor now = Descriptor.of(old.mediaType(), Digest.sha256Of(bytes), bytes.length);
            if (!now.digest().equals(old.digest())) {
                t.push(now, new ByteArrayInputStream(bytes));
                guard.tag(t, now, ref.tag());
                opened.commit();
            }
            return new Result(t.name(), ref.tag(), old.digest(), now.digest());
        }
    }

    /** {@code manifest} with {@code set} merged into its annotations (sorted), every other field as it was. */
    @SuppressWarnings("unchecked")
    static byte[] withAnnotations(byte[] manifest, Map<String, String> set, String what) throws PublishException {
        Map<String, Object> doc;
        try {
            doc = Json.parseObject(manifest, what);
        } catch (IllegalArgumentException e) {
            throw new PublishException(ModelregException.Kind.INVALID, e.getMessage(), e);
        }
        TreeMap<String, Object> ann = new TreeMap<>();
        if (doc.get("annotations") instanceof Map<?, ?> m) ((Map<String, Object>) m).forEach(ann::put);
        else if (doc.get("annotations") != null) throw PublishException.invalid(what + ": 'annotations' is not an object");
        ann.putAll(set);
        doc.put("annotations", ann);
        return Json.writeBytes(doc);
    }
}
