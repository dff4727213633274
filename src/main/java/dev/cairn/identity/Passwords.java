package dev.cairn.identity;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.cairn.common.CairnException;
import java.nio.charset.StandardCharsets;

/** Password rules and bcrypt hashing (salted, slow, from a maintained library). */
public final class Passwords {

    /** MLflow's minimum, kept. */
    public static final int MIN_LENGTH = 12;
    /** bcrypt reads at most 72 bytes; longer passwords would be silently cut, so they are refused. */
    public static final int MAX_BYTES = 72;
    /** About 0.2 s per hash here: slow for guessing, and verified results are cached by {@link Authenticator}. */
    static final int COST = 12;

    private Passwords() {
    }

    public static void requireAcceptable(String password) {
        if (password == null || password.codePointCount(0, password.length()) < MIN_LENGTH) {
            throw CairnException.invalid("Password must be at least " + MIN_LENGTH + " characters long.");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw CairnException.invalid("Password must be at most " + MAX_BYTES + " bytes long in UTF-8.");
        }
    }

    public static String hash(String password) {
        requireAcceptable(password);
        return BCrypt.withDefaults().hashToString(COST, password.toCharArray());
    }

    public static boolean verify(String password, String hash) {
        if (password == null || hash == null || password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return false;
        }
        return BCrypt.verifyer().verify(password.toCharArray(), hash).verified;
    }
}
