package dev.cairn.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The deployment files in {@code docker/} set only settings the README's configuration table documents (a renamed or
 * removed setting fails here, not in someone's cluster), and the compose file and the Kubernetes manifest configure
 * the replicas with the same settings.
 */
class DeploymentFilesTest {

    static final Path ROOT = Path.of(System.getProperty("basedir", "."));
    static final Pattern NAME = Pattern.compile("`((?:CAIRN|QUARKUS)_[A-Z0-9_]+)`");

    @Test
    void everySettingTheDeploymentFilesUseIsDocumented() throws IOException {
        Set<String> documented = documented();
        Set<String> used = new TreeSet<>();
        used.addAll(compose());
        used.addAll(kubernetes());
        used.addAll(names(read("docker/Dockerfile"), "(?m)^\\s*(?:ENV\\s+)?((?:CAIRN|QUARKUS)_[A-Z0-9_]+)="));
        Set<String> undocumented = new TreeSet<>(used);
        undocumented.removeAll(documented);
        assertTrue(undocumented.isEmpty(), "set in docker/ but not in the README's configuration table: "
                + undocumented);
        assertTrue(used.containsAll(Set.of("CAIRN_SECRET_KEY", "CAIRN_AUTH", "QUARKUS_DATASOURCE_JDBC_URL",
                "CAIRN_S3_ENDPOINT", "CAIRN_ADMIN_PASSWORD")), used.toString());
    }

    @Test
    void composeAndKubernetesConfigureTheReplicasAlike() throws IOException {
        assertEquals(compose(), kubernetes());
        assertTrue(read("docker/k8s/cairn.yaml").contains("replicas: 2"));
        assertEquals(2, Pattern.compile("(?m)^  cairn-[ab]: \\*cairn$").matcher(read("docker/compose.yaml"))
                .results().count(), "two replicas in compose");
    }

    /** The Cairn and Quarkus settings of compose's replicas: their environment and the env file's example. */
    static Set<String> compose() throws IOException {
        String compose = read("docker/compose.yaml");
        String anchor = compose.substring(compose.indexOf("x-cairn: &cairn"), compose.indexOf("\nservices:"));
        Set<String> out = names(anchor, "(?m)^    ((?:CAIRN|QUARKUS)_[A-Z0-9_]+):");
        out.addAll(names(read("docker/cairn.env.example"), "(?m)^((?:CAIRN|QUARKUS)_[A-Z0-9_]+)="));
        return out;
    }

    static Set<String> kubernetes() throws IOException {
        return names(read("docker/k8s/cairn.yaml"), "(?m)^\\s+- name: ((?:CAIRN|QUARKUS)_[A-Z0-9_]+)$");
    }

    /** Every name in the first column of the table under "## Configuration". */
    static Set<String> documented() throws IOException {
        String readme = read("README.md");
        int start = readme.indexOf("\n## Configuration");
        String section = readme.substring(start, readme.indexOf("\n## ", start + 1));
        Set<String> out = new TreeSet<>();
        for (String line : section.split("\n")) {
            if (line.startsWith("| `")) {
                Matcher m = NAME.matcher(line.substring(0, line.indexOf(" |", 2)));
                while (m.find()) {
                    out.add(m.group(1));
                }
            }
        }
        assertTrue(out.size() > 30, "the configuration table was found: " + out);
        return out;
    }

    static Set<String> names(String text, String regex) {
        Set<String> out = new TreeSet<>();
        Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    static String read(String path) throws IOException {
        return Files.readString(ROOT.resolve(path));
    }
}
