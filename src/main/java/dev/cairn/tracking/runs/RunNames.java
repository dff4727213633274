package dev.cairn.tracking.runs;

import java.util.concurrent.ThreadLocalRandom;

/** MLflow-style generated run names ("adjective-animal-123") for runs created without one. */
final class RunNames {

    private static final String[] ADJECTIVES = {"abundant", "agreeable", "amazing", "ambitious", "bold", "brave",
        "bright", "calm", "capable", "clean", "clever", "colorful", "crisp", "dapper", "delicate", "eager", "elegant",
        "fearless", "gentle", "gifted", "glamorous", "honorable", "illustrious", "industrious", "intelligent", "judicious",
        "kindly", "learned", "legendary", "likeable", "loud", "luxuriant", "magnificent", "mercurial", "nimble",
        "omniscient", "orderly", "painted", "polite", "powerful", "puzzled", "resilient", "rogue", "rumbling", "salty",
        "sassy", "secretive", "selective", "serious", "skillful", "smiling", "spiffy", "stately", "suave", "sincere",
        "thundering", "traveling", "trusting", "unequaled", "upbeat", "useful", "valuable", "victorious", "vindictive",
        "wise", "worried", "youthful", "zealous"};
    private static final String[] ANIMALS = {"ant", "ape", "asp", "auk", "bass", "bat", "bear", "bee", "bird", "boar",
        "bug", "calf", "carp", "cat", "chimp", "cod", "colt", "conch", "cow", "crab", "crane", "croc", "crow", "cub",
        "deer", "doe", "dog", "dolphin", "donkey", "dove", "duck", "eel", "elk", "fawn", "finch", "fish", "flea", "fly",
        "foal", "fowl", "fox", "frog", "gnat", "gnu", "goat", "goose", "grouse", "grub", "gull", "hare", "hawk", "hen",
        "hog", "horse", "hound", "jay", "kit", "kite", "koi", "lamb", "lark", "loon", "lynx", "mare", "midge", "mink",
        "mole", "moose", "moth", "mouse", "mule", "newt", "owl", "ox", "panda", "penguin", "perch", "pig", "pug", "quail",
        "ram", "rat", "ray", "robin", "roo", "rook", "seal", "shad", "shark", "sheep", "shoat", "shrew", "shrike",
        "shrimp", "skink", "skunk", "sloth", "slug", "smelt", "snail", "snake", "snipe", "sow", "sponge", "squid",
        "squirrel", "stag", "steed", "stoat", "stork", "swan", "tern", "toad", "trout", "turtle", "vole", "wasp", "whale",
        "wolf", "worm", "wren", "yak", "zebra"};

    private RunNames() {
    }

    static String random() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return ADJECTIVES[r.nextInt(ADJECTIVES.length)] + "-" + ANIMALS[r.nextInt(ANIMALS.length)] + "-" + r.nextInt(1000);
    }
}
