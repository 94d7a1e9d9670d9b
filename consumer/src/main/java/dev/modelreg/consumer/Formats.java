package dev.modelreg.consumer;

import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.MediaTypes;
import dev.modelreg.spec.Modelcar;
import dev.modelreg.spec.Text;

/** The artifact formats the consumer reads, and which one a manifest is. */
final class Formats {
    private Formats() {}

    /** The format of {@code m}, or a one-line refusal naming {@code label}. */
    static ArtifactFormat of(Manifest m, String label) throws ConsumerException {
        return of(m, label, label);
    }

    /** As above; an image's description errors name {@code manifestWhat} (the manifest). */
    static ArtifactFormat of(Manifest m, String label, String manifestWhat) throws ConsumerException {
        if (Modelcar.isImage(m)) return new ModelImageFormat(ImageLayers.modelcar(m, manifestWhat));
        if (!MediaTypes.CONFIG.equals(m.config().mediaType())) {
            throw new ConsumerException(label + ": not a modelreg model set (config media type "
                    + Text.printable(m.config().mediaType()) + ", want " + MediaTypes.CONFIG + ") nor a model image");
        }
        return new ModelSetFormat(m);
    }
}
