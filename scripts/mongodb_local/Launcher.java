// Launcher for the local MongoDB test server (mongo-java-server).
//
// Started by scripts/mongodb-local as a single-file source program:
//
//     java -cp 'lib/*' Launcher.java --port N [--db-file PATH] [--port-file PATH]
//
// It serves the MongoDB wire protocol on 127.0.0.1 (or --host) until the JVM
// is asked to stop (SIGTERM or SIGINT); a shutdown hook then closes the server
// and its backend, so an H2 data file is written out completely.

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CountDownLatch;

public final class Launcher {

    /**
     * The version the server reports in isMaster/buildInfo. The library's
     * default (5.0, wire version 8) is below the minimum that current PyMongo
     * releases accept, so report 6.0 with its wire version instead. The
     * reported value does not change how commands are executed.
     */
    static final class ReportedVersion implements MongoVersion {
        private final List<Integer> parts;
        private final int wireVersion;

        ReportedVersion(List<Integer> parts, int wireVersion) {
            this.parts = List.copyOf(parts);
            this.wireVersion = wireVersion;
        }

        @Override
        public List<Integer> getVersionArray() {
            return parts;
        }

        @Override
        public int getWireVersion() {
            return wireVersion;
        }
    }

    static final MongoVersion MONGODB_6_0 = new ReportedVersion(List.of(6, 0, 0), 17);

    private static void usage(String problem) {
        System.err.println("Launcher: " + problem);
        System.err.println("usage: java -cp 'lib/*' Launcher.java --port N"
                + " [--host ADDR] [--db-file PATH] [--port-file PATH]");
        System.exit(2);
    }

    private static void defaultProperty(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        Integer port = null;
        String dbFile = null;
        String portFile = null;

        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (i + 1 >= args.length) {
                usage("missing value after " + option);
            }
            String value = args[++i];
            switch (option) {
                case "--host" -> host = value;
                case "--port" -> {
                    try {
                        port = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        usage("not a port number: " + value);
                    }
                }
                case "--db-file" -> dbFile = value;
                case "--port-file" -> portFile = value;
                default -> usage("unknown option " + option);
            }
        }
        if (port == null || port < 0 || port > 65535) {
            usage("--port must be given, between 0 and 65535");
        }

        // slf4j-simple reads its configuration when the first logger is
        // created, which happens inside the server classes below.
        defaultProperty("org.slf4j.simpleLogger.showDateTime", "true");
        defaultProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSS");
        defaultProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
        defaultProperty("org.slf4j.simpleLogger.log.io.netty", "warn");
        // one line per client connect/disconnect is too chatty for test runs
        defaultProperty("org.slf4j.simpleLogger.log.de.bwaldvogel.mongo.wire", "warn");

        MongoBackend backend;
        if (dbFile == null) {
            backend = new MemoryBackend();
        } else {
            backend = new H2Backend(dbFile);
        }
        backend.version(MONGODB_6_0);

        MongoServer server = new MongoServer(backend);
        server.bind(host, port);
        InetSocketAddress bound = server.getLocalAddress();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("Launcher: shutting down server on port " + bound.getPort());
            try {
                server.shutdown();
            } finally {
                stopped.countDown();
            }
        }, "mongodb-local-shutdown"));

        if (portFile != null) {
            writeAtomically(Path.of(portFile), bound.getPort() + "\n");
        }
        System.err.println("Launcher: serving " + MONGODB_6_0.toVersionString()
                + " (wire version " + MONGODB_6_0.getWireVersion() + ") on "
                + bound.getHostString() + ":" + bound.getPort()
                + (dbFile == null ? " in memory" : " with data file " + dbFile));

        // The server's own threads keep running; park the main thread until
        // the shutdown hook has finished.
        stopped.await();
    }

    private static void writeAtomically(Path target, String content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = Files.createTempFile(dir, target.getFileName().toString(), ".tmp");
        Files.writeString(temp, content, StandardCharsets.US_ASCII);
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
