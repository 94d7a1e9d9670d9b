package dev.modelreg.cli;

import java.nio.file.Path;
import picocli.CommandLine.Parameters;

/**
 * The positional parameters of copy and verify: the model, as copy names it, and the workspace it goes into or is
 * checked in. Each command says what they mean for it in {@code CommandHelp.properties} ({@code modelreg.copy.model},
 * {@code modelreg.verify.workspace}, ...).
 */
public final class ModelWorkspaceArgs {
    @Parameters(index = "0", paramLabel = "MODEL", descriptionKey = "model")
    String model;

    @Parameters(index = "1", paramLabel = "WORKSPACE", descriptionKey = "workspace")
    Path workspace;
}
