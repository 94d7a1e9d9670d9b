package dev.modelreg.publisher;

import java.nio.file.Path;
import java.util.Map;

/**
 * A models.toml known byte for byte, with where each file it lists is (e.g. a content-addressed cache): what
 * {@link Push#pushRegistry} publishes.
 *
 * @param config    the models.toml bytes, the config of the artifact as they are
 * @param label     how errors name it ("models.toml of SOURCE@REF")
 * @param files     file key to the file holding its content
 * @param ref       the git ref to record (and to tag with when the destination names no tag), or null
 * @param sourceUrl the {@code org.opencontainers.image.source} annotation, or null
 */
public record KnownRegistry(byte[] config, String label, Map<String, Path> files, String ref, String sourceUrl) {}
