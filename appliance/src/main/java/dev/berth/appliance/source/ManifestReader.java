package dev.berth.appliance.source;

import dev.berth.appliance.crd.IPAddressPool;
import dev.berth.appliance.crd.L2Advertisement;
import dev.berth.appliance.snapshot.Kind;
import dev.berth.appliance.snapshot.ObjectRef;
import dev.berth.appliance.snapshot.Snapshot;
import dev.berth.appliance.validation.Effect;
import dev.berth.appliance.validation.Problem;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.ObjectReader;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads a directory of ordinary Kubernetes manifests into one Observation: every {@code *.yaml}, {@code *.yml}
 * and {@code *.json} file below it (multi-document YAML and {@code kind: List} too), in path order. Hidden
 * files and directories (an editor's {@code .swp}, a ConfigMap volume's {@code ..data}) are skipped; documents
 * of kinds Berth does not read are counted and ignored, so a whole application's manifests can live here.
 * Namespaced objects without a namespace are put in {@code default}, as kubectl does.
 */
public final class ManifestReader {
    private static final String DEFAULT_NAMESPACE = "default";

    private final ObjectReader documents = YAMLMapper.builder().build().readerFor(JsonNode.class);
    private final KubernetesSerialization serialization = new KubernetesSerialization();

    public ManifestReader() {
        serialization.registerKubernetesResource(IPAddressPool.class);
        serialization.registerKubernetesResource(L2Advertisement.class);
    }

    /**
     * Reads the directory now.
     *
     * @throws IOException only if the directory itself cannot be listed; a bad file is a problem, not an error
     */
    public Observation read(Path directory) throws IOException {
        Reading reading = new Reading();
        for (Path file : manifestFiles(directory)) {
            String text;
            try {
                text = Files.readString(file);
            } catch (NoSuchFileException e) {
                continue; // removed while we listed: the watcher has seen it and will read again
            } catch (IOException e) {
                reading.problems.add(Problem.inFile(file, 0, "cannot be read: " + e.getMessage()));
                continue;
            }
            readFile(file, text, reading);
        }
        return new Observation(Snapshot.of(reading.objects()), reading.problems, reading.ignored);
    }

    /** The manifest files below a directory, in path order, skipping hidden files and directories. */
    public static List<Path> manifestFiles(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new NoSuchFileException(directory.toString(), null, "not a directory");
        }
        List<Path> files = new ArrayList<>();
        Files.walkFileTree(directory, EnumSet.of(java.nio.file.FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                        return dir.equals(directory) || !isHidden(dir) ? FileVisitResult.CONTINUE : FileVisitResult.SKIP_SUBTREE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                        if (attributes.isRegularFile() && isManifest(file)) {
                            files.add(file);
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) {
                        return FileVisitResult.CONTINUE; // vanished or a symlink loop: neither is a manifest
                    }
                });
        files.sort(null);
        return files;
    }

    static boolean isHidden(Path path) {
        String name = path.getFileName().toString();
        return name.startsWith(".") || name.startsWith("#");
    }

    static boolean isManifest(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return !isHidden(file) && (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json"));
    }

    private void readFile(Path file, String text, Reading reading) {
        try (MappingIterator<JsonNode> iterator = documents.readValues(text)) {
            while (iterator.hasNextValue()) {
                int line = iterator.parser().currentTokenLocation().getLineNr();
                JsonNode document = iterator.nextValue();
                readDocument(document, new Origin(file, line), reading);
            }
        } catch (JacksonException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            reading.problems.add(Problem.inFile(file, line, "does not parse: " + parserMessage(e.getOriginalMessage())));
        }
    }

    private void readDocument(JsonNode document, Origin origin, Reading reading) {
        if (document == null || document.isNull() || document.isMissingNode()) {
            return; // an empty document, e.g. after a trailing '---'
        }
        if (!document.isObject()) {
            reading.problems.add(origin.problem("is not a mapping (expected: a Kubernetes object with apiVersion and kind)"));
            return;
        }
        String apiVersion = document.path("apiVersion").asString("");
        String kindName = document.path("kind").asString("");
        if (apiVersion.isEmpty() || kindName.isEmpty()) {
            reading.problems.add(origin.problem("has no " + (apiVersion.isEmpty() ? "apiVersion" : "kind")
                    + " (expected: a Kubernetes object with apiVersion and kind)"));
            return;
        }
        if (kindName.endsWith("List") && document.path("items").isArray()) {
            document.path("items").forEach(item -> readDocument(item, origin, reading));
            return;
        }
        Optional<Kind> kind = Kind.of(apiVersion, kindName);
        if (kind.isEmpty()) {
            Optional<Kind> sameName = java.util.Arrays.stream(Kind.values()).filter(k -> k.toString().equals(kindName)).findFirst();
            if (sameName.isPresent()) {
                reading.problems.add(origin.problem("apiVersion '" + apiVersion + "' for kind " + kindName
                        + " (expected: " + sameName.get().apiVersion() + ")"));
            } else {
                reading.ignored++;
            }
            return;
        }
        String name = document.path("metadata").path("name").asString("");
        if (name.isEmpty()) {
            reading.problems.add(origin.problem(kindName + " has no metadata.name (expected: a name)"));
            return;
        }
        List<Problem> unknown = UnknownFields.check(kind.get(), document, origin);
        if (!unknown.isEmpty()) {
            reading.problems.addAll(unknown);
            return;
        }
        HasMetadata object;
        try {
            object = serialization.convertValue(document, kind.get().type());
        } catch (RuntimeException e) {
            reading.problems.add(conversionProblem(kind.get(), document, name, origin, e));
            return;
        }
        if (kind.get().namespaced() && object.getMetadata().getNamespace() == null) {
            object.getMetadata().setNamespace(DEFAULT_NAMESPACE);
        }
        reading.add(kind.get(), object, origin);
    }

    private static Problem conversionProblem(Kind kind, JsonNode document, String name, Origin origin, RuntimeException e) {
        String namespace = kind.namespaced() ? document.path("metadata").path("namespace").asString(DEFAULT_NAMESPACE) : "";
        ObjectRef ref = new ObjectRef(kind, namespace, name);
        JacksonException jackson = findJackson(e);
        String field = jackson == null ? "" : fieldPath(jackson);
        String message = jackson == null ? e.getMessage() : jackson.getOriginalMessage();
        return Problem.of(ref, field, "cannot be read: " + firstLine(message) + " (in " + origin + ")", Effect.REJECTS_CONFIG);
    }

    private static JacksonException findJackson(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof JacksonException jackson) {
                return jackson;
            }
        }
        return null;
    }

    private static String fieldPath(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : e.getPath()) {
            if (reference.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /**
     * The parser's own words without its excerpt of the file: snakeyaml says "while parsing X", then the
     * excerpt, then "expected Y, but found Z"; both statements matter, the excerpt is noise in one line.
     */
    private static String parserMessage(String message) {
        if (message == null) {
            return "unreadable";
        }
        return message.lines()
                .filter(line -> !line.isBlank() && !Character.isWhitespace(line.charAt(0)))
                .map(String::strip)
                .collect(java.util.stream.Collectors.joining("; "));
    }

    static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).strip();
    }

    /** Where a document starts, for messages. */
    record Origin(Path file, int line) {
        Problem problem(String message) {
            return Problem.inFile(file, line, message);
        }

        @Override
        public String toString() {
            return file + " line " + line;
        }
    }

    /** What one read has found so far. */
    private static final class Reading {
        final Map<ObjectRef, HasMetadata> objects = new LinkedHashMap<>();
        final Map<ObjectRef, Origin> origins = new LinkedHashMap<>();
        final List<Problem> problems = new ArrayList<>();
        int ignored;

        void add(Kind kind, HasMetadata object, Origin origin) {
            ObjectRef ref = ObjectRef.of(kind, object);
            Origin first = origins.putIfAbsent(ref, origin);
            if (first != null) {
                problems.add(Problem.of(ref, "", "defined twice, in " + first + " and in " + origin
                        + " (expected: each object once)", Effect.REJECTS_CONFIG));
                return;
            }
            objects.put(ref, object);
        }

        Map<Kind, List<HasMetadata>> objects() {
            Map<Kind, List<HasMetadata>> byKind = new EnumMap<>(Kind.class);
            objects.forEach((ref, object) -> byKind.computeIfAbsent(ref.kind(), k -> new ArrayList<>()).add(object));
            return byKind;
        }
    }
}
