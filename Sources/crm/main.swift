import ArgumentParser
import CRMApp
import CRMBench
import CRMCore
import CRMExchange
import Foundation
import TerminalUI

#if canImport(Glibc)
  import Glibc
#endif

struct CRM: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "crm",
    abstract: tr(
      "TermCRM: a customer-relationship manager for the terminal.",
      "TermCRM: система работы с клиентами в терминале."),
    version: "0.1.0",
    subcommands: [
      Open.self, Demo.self, ClientCommand.self, ContactCommand.self, Agenda.self, Remind.self,
      Handover.self, UserCommand.self, BulkCommand.self, DealCommand.self, OfferCommand.self,
      PipelineCommand.self,
      ContractCommand.self, InvoiceCommand.self, ActCommand.self, PaymentCommand.self,
      MoneyCommand.self, DedupeCommand.self, MergeCommand.self,
      ReportCommand.self, TargetCommand.self, Classify.self, SegmentCommand.self,
      SettingsCommand.self, CompanyCommand.self, Import.self,
      Export.self, PaneCommand.self, AttachCommand.self,
      Search.self,
      BackupCommand.self, RestoreCommand.self,
      AuditCommand.self, InitCommand.self,
      // Team work (Team/).
      AssignLeads.self, TaskCommand.self, FilterCommand.self, CampaignCommand.self,
      Check.self, Keys.self, Bench.self, Stress.self, MailCommand.self,
    ],
    defaultSubcommand: Open.self)
}

// A file size limit (`ulimit -f`) would kill crm with SIGXFSZ in the middle of a write; ignored,
// the write fails instead, SQLite rolls the transaction back and the message names the limit.
signal(SIGXFSZ, SIG_IGN)
// Parse by hand so that usage errors exit with 1 (the convention here), not 64.
do {
  let arguments = Global.placedAfterSubcommand(Array(CommandLine.arguments.dropFirst()))
  HelpLanguage.current = HelpLanguage.choose(
    arguments, environment: ProcessInfo.processInfo.environment)
  if let fast = RemindShort(arguments) {
    try fast.run()
    exit(StandardOutput.finish(0))
  }
  var command = try CRM.parseAsRoot(arguments)
  try command.run()
  exit(StandardOutput.finish(0))
} catch let failure as Failure {
  StandardOutput.error("crm: " + failure.message)
  exit(StandardOutput.finish(failure.code))
} catch {
  let code = CRM.exitCode(for: error)
  let text = HelpLanguage.translated(CRM.fullMessage(for: error))
  if code == .success {
    print(text)
    exit(StandardOutput.finish(0))
  }
  StandardOutput.error(text)
  exit(StandardOutput.finish(1))
}
