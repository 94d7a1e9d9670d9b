package dev.modelreg.cli;

import dev.modelreg.consumer.Selection;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Which files of a model or ref a pull or copy takes, by key glob ({@link Selection#withFilters}). Their descriptions
 * say what each command filters, so they are in CommandHelp.properties ({@code modelreg.COMMAND.include}, {@code .exclude}).
 */
public final class FileFilterFlags {
    @Option(names = "--include", paramLabel = "GLOB")
    List<String> include;

    @Option(names = "--exclude", paramLabel = "GLOB")
    List<String> exclude;

    /** {@code selection} narrowed to the files the flags keep. */
    Selection applyTo(Selection selection) {
        return selection.withFilters(include, exclude);
    }
}
