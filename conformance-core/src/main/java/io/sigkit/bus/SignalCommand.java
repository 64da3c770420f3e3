package io.sigkit.bus;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A signal's command line as rendered from the argument contract, split into the parts the kit needs: an optional
 * prefix ({@code nohup}), the program, its arguments, and the shell tail (redirections and {@code &}).
 *
 * <p>Only the kit's own derived commands are built here (the argument-order permutation of SIG-CONF-005 and the
 * diagnostic run's argument vector); the bus's commands themselves are always issued exactly as rendered.
 */
public record SignalCommand(String rendered, String prefix, String program, List<String> arguments, String tail) {

    public SignalCommand {
        Objects.requireNonNull(rendered, "rendered");
        Objects.requireNonNull(program, "program");
        arguments = List.copyOf(arguments);
        prefix = prefix == null ? "" : prefix;
        tail = tail == null ? "" : tail;
    }

    /** Splits a rendered command; arguments are plain tokens (the contract allows no quoting or spaces in values). */
    public static SignalCommand parse(String rendered) {
        List<String> tokens = Arrays.asList(rendered.trim().split(" +"));
        int i = 0;
        String prefix = "";
        if (tokens.get(0).equals("nohup")) {
            prefix = "nohup";
            i = 1;
        }
        String program = tokens.get(i++);
        List<String> args = new ArrayList<>();
        while (i < tokens.size() && !isShellSyntax(tokens.get(i))) {
            args.add(tokens.get(i++));
        }
        String tail = String.join(" ", tokens.subList(i, tokens.size()));
        return new SignalCommand(rendered, prefix, program, args, tail);
    }

    private static boolean isShellSyntax(String token) {
        return token.startsWith(">") || token.startsWith("&") || token.startsWith("<") || token.startsWith("2>")
                || token.equals("|") || token.equals(";");
    }

    /** The program and its arguments, without prefix and tail. */
    public List<String> argv() {
        List<String> argv = new ArrayList<>();
        argv.add(program);
        argv.addAll(arguments);
        return List.copyOf(argv);
    }

    /**
     * The same command with its option groups (an option and its value, if any) in reverse order, e.g.
     * {@code -u john -e -w 7} becomes {@code -w 7 -e -u john}; prefix and tail unchanged.
     */
    public String withReversedOptions() {
        List<List<String>> groups = new ArrayList<>();
        for (int i = 0; i < arguments.size(); i++) {
            List<String> group = new ArrayList<>();
            group.add(arguments.get(i));
            if (i + 1 < arguments.size() && !arguments.get(i + 1).startsWith("-")) {
                group.add(arguments.get(++i));
            }
            groups.add(group);
        }
        Collections.reverse(groups);
        StringBuilder sb = new StringBuilder();
        if (!prefix.isEmpty()) {
            sb.append(prefix).append(' ');
        }
        sb.append(program);
        groups.forEach(g -> g.forEach(a -> sb.append(' ').append(a)));
        if (!tail.isEmpty()) {
            sb.append(' ').append(tail);
        }
        return sb.toString();
    }
}
