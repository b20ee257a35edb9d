// The `waymark` command: one program for the server, the store tools and the rules tools.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/command.h"

int main(int argc, char** argv) {
  CLI::App app{
      "Waymark: a single point of access for children and young people's mental health.\n"
      "Run `waymark COMMAND --help` for the options of one command."};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Show every command and its options");

  waymark::cli::Action action;
  // Each room registers its own commands (see cli/command.h).
  waymark::cli::AddServeCommands(app, action);
  waymark::cli::AddStoreCommands(app, action);
  waymark::cli::AddRoutesCommand(app, action);
  waymark::cli::AddAuditCommands(app, action);
  waymark::cli::AddPeopleCommands(app, action);
  waymark::cli::AddDemoCommands(app, action);
  waymark::cli::AddReportCommands(app, action);
  waymark::cli::AddDmnCommands(app, action);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);  // prints the message and usage to stderr
    return waymark::cli::kUsageError;
  }
  if (!action) {
    std::cerr << app.help();
    return waymark::cli::kUsageError;
  }
  return action();
}
