package dev.cairn.common;

/**
 * The advisory lock a running backup holds (exclusively, for its session) and that deleting an object from the store
 * needs (shared, for a transaction): while a backup copies the objects its snapshot refers to, none is deleted; the
 * deletion is left to the sweeper's next round.
 */
public final class BackupHold {

    public static final long KEY = 0x6361_6972_6e42_4b50L; // "cairnBKP"

    private BackupHold() {
    }
}
