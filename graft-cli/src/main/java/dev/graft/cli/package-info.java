/**
 * The {@code graft} command line (picocli). {@link dev.graft.cli.GraftCommand} is the root: its
 * subcommands ({@code fit}, {@code advise}, {@code audit}, {@code evaluate}, {@code predict},
 * {@code inspect}, {@code serve}, {@code load-test}, {@code compare}, {@code pretrain}, {@code
 * export}, {@code models}, {@code datasets}, {@code demo}) are package-private classes that parse
 * options and call graft-core, graft-datasets, graft-serve and graft-report.
 *
 * <p>A {@link dev.graft.GraftException} prints only its message, naming a parameter by its flag
 * ({@link dev.graft.cli.Flags}), and exits 2; anything else is an
 * internal error, exit 1; {@code --verbose} adds the stack trace. {@code GraftCommand.execute}
 * takes the output streams, so tests can capture them.
 */
package dev.graft.cli;
