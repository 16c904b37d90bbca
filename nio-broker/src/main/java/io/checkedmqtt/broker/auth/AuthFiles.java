package io.checkedmqtt.broker.auth;

import io.checkedmqtt.core.auth.AccessControlList;
import io.checkedmqtt.core.auth.Authorizer;
import io.checkedmqtt.core.auth.PasswordCheck;
import io.checkedmqtt.core.auth.ScramUsers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The password, ACL and SCRAM files, read into the core's {@link Authorizer}, and read again
 * when one of them changes.
 *
 * <p>At start every configured file must parse, or the broker does not start. Afterwards
 * {@link #reloadIfChanged} (the loop calls it every {@code auth_reload_interval_ms}) re-reads a
 * file whose modification time or size changed, and {@link #reload} re-reads all of them on
 * request. A file that fails to read or parse leaves the rules in force as they were and is
 * logged with its line; it is tried again when it changes next. A new {@link Authorizer} judges
 * each client's next packet; connected clients stay connected.
 *
 * <p>{@code allow_anonymous} defaults to true unless a password or SCRAM file is configured, in
 * which case it defaults to false, as in Mosquitto 2.0.
 */
public final class AuthFiles {

    /**
     * What the config file says about authentication.
     *
     * @param passwordFile   Mosquitto password file, or null
     * @param aclFile        Mosquitto ACL file, or null
     * @param scramFile      SCRAM-SHA-256 credentials, or null
     * @param allowAnonymous the {@code allow_anonymous} setting, or null for the default
     * @param clientIdPrefix the {@code clientid_prefixes} setting: client ids must start with it ("" = any)
     */
    public record Sources(Path passwordFile, Path aclFile, Path scramFile, Boolean allowAnonymous,
                          String clientIdPrefix) {

        public static final Sources NONE = new Sources(null, null, null, null);

        public Sources {
            Objects.requireNonNull(clientIdPrefix, "clientIdPrefix");
        }

        /** Without a client id prefix. */
        public Sources(Path passwordFile, Path aclFile, Path scramFile, Boolean allowAnonymous) {
            this(passwordFile, aclFile, scramFile, allowAnonymous, "");
        }

        public boolean any() {
            return passwordFile != null || aclFile != null || scramFile != null || allowAnonymous != null
                    || !clientIdPrefix.isEmpty();
        }

        public boolean anonymousAllowed() {
            return allowAnonymous != null ? allowAnonymous : passwordFile == null && scramFile == null;
        }
    }

    /** What identifies one version of a file without reading it. */
    private record Stamp(long modifiedMillis, long size) {
        /** A file that cannot be looked at: reported once, until it is back. */
        static final Stamp MISSING = new Stamp(-1, -1);

        static Stamp of(Path file) {
            try {
                return new Stamp(Files.getLastModifiedTime(file).toMillis(), Files.size(file));
            } catch (IOException e) {
                return MISSING;
            }
        }
    }

    private final Sources sources;
    private final byte[] decoySecret;
    private Stamp passwordStamp;
    private Stamp aclStamp;
    private Stamp scramStamp;
    private PasswordCheck passwords;
    private AccessControlList acl;
    private ScramUsers scramUsers;
    private Authorizer authorizer;

    private AuthFiles(Sources sources, byte[] decoySecret) {
        this.sources = sources;
        this.decoySecret = decoySecret.clone();
    }

    /**
     * Reads every configured file; any that cannot be read or parsed is an error.
     *
     * @param decoySecret random bytes for the made-up SCRAM credentials of unknown users
     */
    public static AuthFiles load(Sources sources, byte[] decoySecret) throws IOException {
        AuthFiles files = new AuthFiles(Objects.requireNonNull(sources, "sources"), decoySecret);
        if (sources.passwordFile() != null) {
            files.readPasswords();
        }
        if (sources.aclFile() != null) {
            files.readAcl();
        }
        if (sources.scramFile() != null) {
            files.readScram();
        }
        files.rebuild();
        return files;
    }

    public Authorizer authorizer() {
        return authorizer;
    }

    /** One line saying what is in force, for the start-up log. */
    public String describe() {
        return "authentication: anonymous " + (sources.anonymousAllowed() ? "allowed" : "refused")
                + (sources.passwordFile() != null ? ", password file " + sources.passwordFile() : "")
                + (acl != null ? ", ACL " + sources.aclFile() + " (" + acl.ruleCount() + " rules)" : "")
                + (scramUsers != null ? ", SCRAM-SHA-256 for " + scramUsers.size() + " users" : "");
    }

    /**
     * Re-reads the files whose modification time or size changed. Returns true when the
     * {@link #authorizer()} changed; problems go to {@code log} and change nothing.
     */
    public boolean reloadIfChanged(Consumer<String> log) {
        boolean changed = false;
        if (sources.passwordFile() != null && differs(sources.passwordFile(), passwordStamp)) {
            changed |= attempt(log, sources.passwordFile(), this::readPasswords);
        }
        if (sources.aclFile() != null && differs(sources.aclFile(), aclStamp)) {
            changed |= attempt(log, sources.aclFile(), this::readAcl);
        }
        if (sources.scramFile() != null && differs(sources.scramFile(), scramStamp)) {
            changed |= attempt(log, sources.scramFile(), this::readScram);
        }
        if (changed) {
            rebuild();
        }
        return changed;
    }

    /** Re-reads every configured file, changed or not; same contract as {@link #reloadIfChanged}. */
    public boolean reload(Consumer<String> log) {
        passwordStamp = null;
        aclStamp = null;
        scramStamp = null;
        return reloadIfChanged(log);
    }

    private static boolean differs(Path file, Stamp known) {
        return !Stamp.of(file).equals(known);
    }

    private interface Reader {
        void read() throws IOException;
    }

    private boolean attempt(Consumer<String> log, Path file, Reader reader) {
        try {
            reader.read();
            log.accept("reloaded " + file);
            return true;
        } catch (AuthFileException e) {
            log.accept(e.getMessage() + "; the rules in force stay");
        } catch (IOException e) {
            log.accept("cannot read " + file + " (" + e + "); the rules in force stay");
        }
        return false;
    }

    private void readPasswords() throws IOException {
        passwordStamp = Stamp.of(sources.passwordFile()); // a broken version is retried only once it changes
        passwords = PasswordFile.parse(lines(sources.passwordFile()), sources.passwordFile().toString());
    }

    private void readAcl() throws IOException {
        aclStamp = Stamp.of(sources.aclFile());
        acl = AclFile.parse(lines(sources.aclFile()), sources.aclFile().toString());
    }

    private void readScram() throws IOException {
        scramStamp = Stamp.of(sources.scramFile());
        scramUsers = new ScramUsers(ScramFile.parse(lines(sources.scramFile()), sources.scramFile().toString()),
                decoySecret);
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }

    private void rebuild() {
        authorizer = new Authorizer(sources.anonymousAllowed(), passwords, acl, scramUsers, sources.clientIdPrefix());
    }
}
