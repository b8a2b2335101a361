package dev.berth.appliance.cli;

import dev.berth.appliance.source.ManifestReader;
import dev.berth.appliance.source.Observation;
import dev.berth.appliance.validation.Problem;
import dev.berth.appliance.validation.Validator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code berth check}: the same reading and validation as {@code run}, once, printed. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Validate a manifest directory: one line per problem and exit 1, or a summary and exit 0.")
final class CheckCommand implements Callable<Integer> {

    @Option(names = "--manifests", paramLabel = "DIR", required = true, description = "The directory to check.")
    Path manifests;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Observation observation;
        try {
            observation = new ManifestReader().read(manifests);
        } catch (IOException e) {
            throw new IllegalArgumentException("--manifests " + manifests + ": not a readable directory (expected: a directory of manifests)");
        }
        List<Problem> problems = new ArrayList<>(observation.problems());
        problems.addAll(Validator.validate(observation.snapshot()));
        PrintWriter out = spec.commandLine().getOut();
        problems.forEach(out::println);
        out.println(summary(observation, problems.size()));
        out.flush();
        return problems.isEmpty() ? 0 : 1;
    }

    static String summary(Observation observation, int problems) {
        int objects = observation.snapshot().size();
        return objects + (objects == 1 ? " object, " : " objects, ") + problems + (problems == 1 ? " problem" : " problems")
                + (observation.ignored() > 0 ? " (" + observation.ignored()
                        + (observation.ignored() == 1 ? " document" : " documents") + " of other kinds ignored)" : "");
    }
}
