package dev.modelreg.consumer;

import dev.modelreg.spec.ForeignArtifact;
import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.MediaTypes;
import dev.modelreg.spec.Modelcar;
import dev.modelreg.spec.Text;

/**
 * The artifact formats the consumer reads, and which one a manifest is: modelreg's model set (its config media type),
 * a model image (its annotations), then the foreign formats of spec/README.md 3.12 ({@link ForeignArtifact#formatOf}).
 */
final class Formats {
    private Formats() {}

    /** The format of {@code m}, or a one-line refusal naming {@code label}. */
    static ArtifactFormat of(Manifest m, String label) throws ConsumerException {
        return of(m, label, label);
    }

    /** As above; an image's description errors name {@code manifestWhat} (the manifest). */
    static ArtifactFormat of(Manifest m, String label, String manifestWhat) throws ConsumerException {
        if (MediaTypes.CONFIG.equals(m.config().mediaType())) return new ModelSetFormat(m);
        if (Modelcar.isImage(m)) return new ModelImageFormat(ImageLayers.modelcar(m, manifestWhat));
        ForeignArtifact.Format foreign = ForeignArtifact.formatOf(m);
        if (foreign != null) return new ForeignFormat(foreign, m);
        throw new ConsumerException(label + ": not a model artifact modelreg reads (config media type "
                + Text.printable(m.config().mediaType()) + "): not a modelreg model set (" + MediaTypes.CONFIG
                + "), a model image, a ModelPack, a KitOps ModelKit, nor an artifact with titled layers");
    }
}
