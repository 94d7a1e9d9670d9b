package dev.modelreg.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** One run of the command line in this process ({@link Cli#run}, in this directory): its exit code, stdout and stderr. */
record Ran(int code, String out, String err) {
    /** {@code modelreg ARGS} with the process's environment. */
    static Ran of(String... args) {
        return of(System.getenv(), args);
    }

    /** {@code modelreg ARGS} with {@code env} as the environment its commands read (cache, config, HOME). */
    static Ran of(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.run(args, new PrintWriter(out, true), new PrintWriter(err, true), Context.of(env, Path.of("")));
        return new Ran(code, out.toString(), err.toString());
    }

    List<String> errLines() {
        return err.lines().toList();
    }
}
