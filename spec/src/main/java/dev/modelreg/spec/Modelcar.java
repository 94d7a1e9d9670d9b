package dev.modelreg.spec;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A model image ("modelcar", spec/README.md 3.11): a runnable OCI image whose filesystem holds the model files under
 * a root directory (default {@code /models}) and the models.toml beside them ({@code ROOT/models.toml}). The manifest
 * says where: {@link #ROOT} and {@link #REGISTRY} (the sha256 of the models.toml bytes); the layer that holds
 * models.toml (and the files no model lists) carries {@link #REGISTRY} too, each model layer
 * {@link Annotations#GROUP} or {@link Annotations#GROUPS}. {@link #of} checks that the annotations are coherent;
 * what the layers hold is checked against them while they are read.
 */
public record Modelcar(String root, Digest registry, Descriptor registryLayer, Map<String, Descriptor> layerOfGroup) {
    /** Manifest: the directory of the model files in the image, absolute ({@code /models}). */
    public static final String ROOT = "dev.modelreg.image.root";
    /** Manifest and the layer holding models.toml: the sha256 of the models.toml bytes. */
    public static final String REGISTRY = "dev.modelreg.image.registry";
    /** The name of the registry file in the root directory. */
    public static final String REGISTRY_FILE = "models.toml";
    /** The default root. */
    public static final String DEFAULT_ROOT = "/models";
    public static final String IMAGE_CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    public static final String GZIP_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
    public static final String DOCKER_GZIP_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip";

    /** An image manifest (its config is an image config, not a models.toml). */
    public static boolean isImage(Manifest m) {
        return IMAGE_CONFIG.equals(m.config().mediaType()) || DOCKER_CONFIG.equals(m.config().mediaType());
    }

    /**
     * The modelcar description of an image manifest.
     *
     * @throws IllegalArgumentException (one line naming {@code what}) when the annotations are missing or contradict
     *     each other: no root or registry digest, a root that is not a safe absolute path, not exactly one layer
     *     marked as holding models.toml, a layer of another media type, a group claimed by two layers
     */
    public static Modelcar of(Manifest m, String what) {
        String root = m.annotations().get(ROOT);
        String reg = m.annotations().get(REGISTRY);
        if (root == null || reg == null) {
            throw new IllegalArgumentException(what + ": an image without the " + ROOT + " and " + REGISTRY
                    + " annotations is not a modelreg model image");
        }
        root = checkRoot(root, what);
        Digest registry;
        try {
            registry = Digest.parse(reg);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + REGISTRY + " '" + Text.printable(reg) + "' is not a digest");
        }
        Descriptor registryLayer = null;
        Map<String, Descriptor> byGroup = new HashMap<>();
        for (Descriptor l : m.layers()) {
            boolean holdsRegistry = l.annotation(REGISTRY) != null;
            List<String> groups = l.annotation(Annotations.GROUP) != null || l.annotation(Annotations.GROUPS) != null
                    ? groupsOf(l, what) : List.of();
            if (!holdsRegistry && groups.isEmpty()) continue; // a layer of the base image
            if (!isLayerType(l.mediaType())) {
                throw new IllegalArgumentException(what + ": layer " + l.digest() + " has media type "
                        + Text.printable(l.mediaType()) + ", want " + GZIP_LAYER + " or " + MediaTypes.TAR_LAYER);
            }
            if (holdsRegistry) {
                if (!reg.equals(l.annotation(REGISTRY))) {
                    throw new IllegalArgumentException(what + ": layer " + l.digest() + " names models.toml "
                            + Text.printable(l.annotation(REGISTRY)) + ", the manifest " + reg);
                }
                if (registryLayer != null) {
                    throw new IllegalArgumentException(what + ": two layers claim to hold models.toml");
                }
                registryLayer = l;
            }
            for (String g : groups) {
                Descriptor prev = byGroup.put(g, l);
                if (prev != null) {
                    throw new IllegalArgumentException(what + ": group '" + Text.printable(g) + "' is claimed by layers "
                            + prev.digest() + " and " + l.digest());
                }
            }
        }
        if (registryLayer == null) {
            throw new IllegalArgumentException(what + ": no layer is marked (" + REGISTRY + ") as holding models.toml");
        }
        byGroup.putIfAbsent("", registryLayer);
        if (byGroup.get("") != registryLayer) {
            throw new IllegalArgumentException(what + ": the files of no model must be in the models.toml layer");
        }
        return new Modelcar(root, registry, registryLayer, Map.copyOf(byGroup));
    }

    /** The layer serving {@code group}, or null. */
    public Descriptor layerOf(String group) {
        return layerOfGroup.get(group);
    }

    /** The tar entry prefix of the root: {@code models/} for {@code /models}. */
    public String entryPrefix() {
        return root.substring(1) + "/";
    }

    public static boolean isLayerType(String mediaType) {
        return GZIP_LAYER.equals(mediaType) || DOCKER_GZIP_LAYER.equals(mediaType) || MediaTypes.TAR_LAYER.equals(mediaType);
    }

    /** A root directory: absolute, {@code /}-separated, no empty, {@code .} or {@code ..} segment, no control character. */
    public static String checkRoot(String root, String what) {
        boolean ok = root.startsWith("/") && root.length() > 1 && root.length() <= Limits.MAX_KEY_BYTES
                && !root.endsWith("/") && root.chars().noneMatch(c -> Text.isControl(c) || c == '\\');
        if (ok) {
            for (String seg : root.substring(1).split("/", -1)) {
                if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) ok = false;
            }
        }
        if (!ok) {
            throw new IllegalArgumentException(what + ": image root '" + Text.printable(root)
                    + "' is not an absolute directory such as /models (no '.', '..' or empty segment)");
        }
        return root;
    }

    private static List<String> groupsOf(Descriptor l, String what) {
        try {
            return LayerIndex.groupsOf(l);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage());
        }
    }
}
