package dev.modelreg.publisher;

import dev.modelreg.content.CopyResult;
import dev.modelreg.spec.Descriptor;

/**
 * What a push copied: the manifest, its layer count, the copy's counts (null when nothing was copied: an image written
 * only to a tar) and where it landed.
 */
record Pushed(Descriptor manifest, int layers, CopyResult copy, String reference) {}
