package nl.klantherkenning.engines;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.node.InternalSettingsPreparer;
import org.elasticsearch.node.Node;
import org.elasticsearch.plugins.PluginsLoader;

/**
 * One real Elasticsearch node in this JVM for the engine tests, started the way a distribution starts
 * it: the server jars on the module path, the modules under {@code path.home/modules} loaded by
 * Elasticsearch's own PluginsLoader. Logs go to stdout; SIGTERM closes the node.
 *
 * <p>Usage: {@code ElasticsearchNode CONFIG_DIR key=value...}, each {@code key=value} a node setting
 * ({@code path.home}, {@code path.data}, {@code http.port}, ...).
 */
public final class ElasticsearchNode {
    private ElasticsearchNode() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length == 0) {
            System.err.println("usage: ElasticsearchNode CONFIG_DIR key=value...");
            System.exit(2);
        }
        Node node = null;
        try {
            Path config = Path.of(args[0]).toAbsolutePath();
            Settings settings = settings(args);
            Files.createDirectories(config);
            LogConfigurator.configureESLogging();
            LogConfigurator.configureWithoutConfig(settings);
            Environment env = InternalSettingsPreparer.prepareEnvironment(
                settings, Map.of(), config, () -> "klantherkenning-test");
            PluginsLoader modules = PluginsLoader.createPluginsLoader(
                PluginsLoader.loadModulesBundles(env.modulesDir(), false),
                PluginsLoader.loadPluginsBundles(env.pluginsDir(), false),
                Map.of());
            node = new Node(env, modules);
            Node started = node;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> close(started), "close-node"));
            node.start();
        } catch (Throwable e) {
            // The node's threads would keep a half-started JVM alive; the script should see it exit.
            e.printStackTrace();
            if (node != null) close(node);
            Runtime.getRuntime().halt(1);
        }
        new CountDownLatch(1).await();
    }

    /** Defaults of a loopback-only single node, then the settings given as key=value. */
    private static Settings settings(String[] args) {
        Settings.Builder b = Settings.builder()
            .put("discovery.type", "single-node")
            .put("network.host", "127.0.0.1")
            .put("node.name", "klantherkenning-test")
            .put("logger.level", "INFO");
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("not a key=value setting: " + args[i]);
            b.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        return b.build();
    }

    private static void close(Node node) {
        try {
            node.close();
            node.awaitClose(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            e.printStackTrace();
        }
    }
}
