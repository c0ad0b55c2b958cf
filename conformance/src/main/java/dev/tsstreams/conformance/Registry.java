package dev.tsstreams.conformance;

import java.util.ArrayList;
import java.util.List;

/** Every case, in a fixed order. */
public final class Registry {
    private Registry() {}

    public static List<Case> all() {
        List<Case> all = new ArrayList<>();
        StatelessCases.register(all);
        AggregationCases.register(all);
        WindowCases.register(all);
        TableCases.register(all);
        JoinCases.register(all);
        ProcessCases.register(all);
        CachingCases.register(all);
        RandomCases.register(all);
        NamingCases.register(all);
        return all;
    }
}
