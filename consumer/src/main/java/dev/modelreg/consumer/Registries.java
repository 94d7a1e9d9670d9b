package dev.modelreg.consumer;

import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.ModelsToml;
import dev.modelreg.spec.ModelsTomlCodec;
import dev.modelreg.spec.RegistryFormatException;

/** Parsing what the consumer reads, as the consumer's one-line INVALID errors. */
final class Registries {
    private Registries() {}

    /** A models.toml, parsed; errors name {@code label}. */
    static ModelsToml parse(byte[] bytes, String label) throws ConsumerException {
        try {
            return ModelsTomlCodec.read(bytes, label + " models.toml");
        } catch (RegistryFormatException e) {
            throw new ConsumerException(e.getMessage(), e);
        }
    }

    /** A manifest, parsed; errors name {@code what}. */
    static Manifest manifest(byte[] bytes, String what) throws ConsumerException {
        try {
            return Manifest.parse(bytes, what);
        } catch (IllegalArgumentException e) {
            throw new ConsumerException(e.getMessage(), e);
        }
    }
}
