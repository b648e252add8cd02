package io.rcproxy.proxy.multinode;

import io.rcproxy.proxy.protocol.RedisRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The sections an INFO request asks for, in the order INFO writes them (Redis's, then the proxy's own
 * {@code proxy} section last). No argument or {@code default}: Redis's default sections and {@code proxy};
 * {@code all} and {@code everything} add {@code commandstats} and {@code latencystats}. Unknown names are
 * ignored, so asking only for unknown sections gives an empty reply, as Redis does.
 *
 * <p>Immutable; built per INFO call.
 */
record InfoSections(Set<String> names) {

    static final String PROXY = "proxy";
    private static final Set<String> NOT_DEFAULT = Set.of("commandstats", "latencystats");

    static InfoSections of(RedisRequest request) {
        Set<String> asked = new LinkedHashSet<>();
        if (request.argCount() == 1) {
            asked.add("default");
        }
        for (int i = 1; i < request.argCount(); i++) {
            asked.add(request.argString(i).toLowerCase(Locale.ROOT));
        }
        boolean all = asked.contains("all") || asked.contains("everything");
        boolean defaults = all || asked.contains("default");
        Set<String> names = new LinkedHashSet<>();
        for (InfoFieldRules.Section section : InfoFieldRules.RULES.sections()) {
            String name = section.name();
            if (asked.contains(name) || all || (defaults && !NOT_DEFAULT.contains(name))) {
                names.add(name);
            }
        }
        if (defaults || asked.contains(PROXY)) {
            names.add(PROXY);
        }
        return new InfoSections(Collections.unmodifiableSet(names));
    }

    /** Whether any asked section needs the masters' INFO. */
    boolean needsMasters() {
        for (String name : names) {
            InfoFieldRules.Section section = InfoFieldRules.RULES.section(name);
            if (section != null && !section.proxyOnly()) {
                return true;
            }
        }
        return false;
    }

    /** The arguments of the INFO sent to each master: the asked sections the masters contribute to. */
    String[] masterRequest() {
        List<String> args = new ArrayList<>();
        args.add("INFO");
        for (String name : names) {
            InfoFieldRules.Section section = InfoFieldRules.RULES.section(name);
            if (section != null && !section.proxyOnly()) {
                args.add(name);
            }
        }
        return args.toArray(String[]::new);
    }
}
