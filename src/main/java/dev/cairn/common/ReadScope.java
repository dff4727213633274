package dev.cairn.common;

import dev.cairn.common.search.Sql;
import java.util.List;

/**
 * What a caller may read, as SQL conditions for searches: everything (admins, local mode), or the experiments and
 * models where its effective level (highest grant of the user or its groups, else the server default) is at least
 * READ. The level functions belong to the access feature (migration V17); searches call them instead of reading
 * its grant tables.
 */
public record ReadScope(boolean everything, long userId, List<Long> groupIds, int fallback) {

    /** Permission ranks as stored: NO_PERMISSIONS 0, READ 1, USE 2, EDIT 3, MANAGE 4. */
    public static final int READ = 1;

    public static final ReadScope EVERYTHING = new ReadScope(true, 0, List.of(), 4);
    public static final ReadScope NOTHING = new ReadScope(false, -1, List.of(), 0);

    /** A condition on an experiment id column, or null when everything is readable. */
    public Sql experiments(String column) {
        return condition("experiment_access_level", column);
    }

    /** A condition on a registered model id column, or null when everything is readable. */
    public Sql models(String column) {
        return condition("model_access_level", column);
    }

    private Sql condition(String function, String column) {
        if (everything) {
            return null;
        }
        return new Sql().append(function + "(" + column + ", ").bind(userId).append(", ")
                .bind(new Sql.LongArray(groupIds)).append(", ").bind(fallback).append(") >= ").bind(READ);
    }
}
