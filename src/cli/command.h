// How a subcommand joins the `waymark` command: each room's cmd_*.cc has an Add*Commands
// function that registers its CLI11 subcommands and, when one is chosen, sets `action`
// to the work to do. main.cc calls every Add*Commands; the action's int is the exit code
// (0 ok, 1 failure, 2 usage error).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace waymark::cli {

using Action = std::function<int()>;

void AddServeCommands(CLI::App& root, Action& action);
void AddStoreCommands(CLI::App& root, Action& action);   // migrate, import, export
void AddRoutesCommand(CLI::App& root, Action& action);   // routes
void AddAuditCommands(CLI::App& root, Action& action);   // audit verify, audit show
void AddPeopleCommands(CLI::App& root, Action& action);  // export-person, purge
void AddDemoCommands(CLI::App& root, Action& action);    // demo generate
void AddReportCommands(CLI::App& root, Action& action);  // report quarterly
// dmn tck, triage, rules test
void AddDmnCommands(CLI::App& root, Action& action);

// Exit code for a command-line usage error (unknown flag, bad value).
inline constexpr int kUsageError = 2;

}  // namespace waymark::cli
