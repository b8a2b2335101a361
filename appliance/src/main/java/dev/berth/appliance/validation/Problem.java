package dev.berth.appliance.validation;

import dev.berth.appliance.snapshot.ObjectRef;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One thing wrong with the configuration, in the shape {@code kind namespace/name: field: message}.
 * For a file that cannot be read the kind is {@code File}, the name its path and the field its line.
 *
 * @param kind the object's kind, or {@code File}
 * @param namespace empty for cluster-scoped objects and files
 * @param name the object's name, or the file's path
 * @param field the field path ({@code spec.addresses[0]}), or {@code line N} in a file; may be empty
 * @param message what is wrong, ending with {@code (expected: ...)} where that helps
 * @param effect what the problem does to the configuration
 */
public record Problem(String kind, String namespace, String name, String field, String message, Effect effect) {

    public static final String FILE_KIND = "File";

    public Problem {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(effect, "effect");
    }

    public static Problem of(ObjectRef ref, String field, String message, Effect effect) {
        return new Problem(ref.kind().toString(), ref.namespace(), ref.name(), field, message, effect);
    }

    /** A file that cannot be read or parsed; always rejects the configuration, since its intent is unknown. */
    public static Problem inFile(Path file, int line, String message) {
        return new Problem(FILE_KIND, "", file.toString(), line > 0 ? "line " + line : "", message, Effect.REJECTS_CONFIG);
    }

    /** The object part: {@code IPAddressPool berth/lan}, or {@code File pools.yaml}. */
    public String object() {
        return kind + " " + (namespace.isEmpty() ? name : namespace + "/" + name);
    }

    @Override
    public String toString() {
        return object() + ": " + (field.isEmpty() ? "" : field + ": ") + message;
    }
}
