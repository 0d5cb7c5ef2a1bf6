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

struct Open: CRMCommand {
  static let configuration = CommandConfiguration(
    commandName: "open",
    abstract: tr(
      "Open the full-screen interface (the default).",
      "Открыть полноэкранный интерфейс (по умолчанию)."))
  @OptionGroup var global: Global

  /// Before the database is opened or created and before ncurses touches the terminal.
  func check() throws {
    if let reason = NCursesTerminal.unsupportedReason(
      environment: global.env, stdinIsTTY: isatty(0) != 0, stdoutIsTTY: isatty(1) != 0)
    {
      throw Failure(message: reason.message(russian: global.language == .ru), code: 2)
    }
  }

  func run(_ session: Session) throws {
    var context = session.app
    // The reconciliation (Reports, s) reads files through these; CRMApp knows no file formats.
    context.loadStatement = Self.readStatement(language: global.language)
    context.loadActs = Self.readActs(language: global.language)
    // `m` on a document sends it through the user's mail command (from their config file).
    // A config file that cannot be read fails the send with its message, not the interface.
    let config = Result { try global.userConfig() }
    let (core, env) = (session.context, global.env)
    context.sendDocument = { kind, id, to throws in
      let mailer = DocumentMailer(context: core, config: try config.get(), environment: env)
      var random = SystemRandomNumberGenerator()
      let outcome = try mailer.send(kind, id, to: to, using: &random)
      let l = core.language
      return l.pick(
        "Sent to \(outcome.mail.to.address); e-mail contact logged.",
        "Отправлено на \(outcome.mail.to.address); контакт-письмо записано.")
    }
    // P and O on invoices, offers and the client's money: PDF through CRMExchange.
    context.writePDF = Self.pdfWriter(env: global.env)
    context.openFile = Self.fileOpener(env: global.env, language: global.language)
    try MainActor.assumeIsolated {
      let term: NCursesTerminal
      do {
        term = try NCursesTerminal(noColor: global.env["NO_COLOR"].map { !$0.isEmpty } ?? false)
      } catch {
        let reason = error as? TerminalError ?? .cannotStart
        throw Failure(message: reason.message(russian: global.language == .ru), code: 2)
      }
      let app = App(term: term, context: context)
      if term.localeNotUTF8 { app.warnLocaleNotUTF8() }
      app.run()
      term.end()
      // SIGINT, SIGTERM or SIGHUP ended the loop between keys (a write in progress finished):
      // the terminal is restored; exit as the shell expects, 128 + the signal.
      if let signal = term.caughtSignal { Glibc.exit(128 + signal) }
    }
  }
}

extension Open {
  /// Acts read back from an EnterpriseData message exported from 1C.
  /// A bank statement as the reconciliation view wants it: incoming documents, period, accounts.
  static func readStatement(language l: Language) -> StatementLoader {
    { path in
      let s: BankStatement
      do {
        s = try BankStatementReader.read(contentsOf: URL(fileURLWithPath: path))
      } catch {
        throw CRMError.invalid(
          field: path, problem: (error as? BankStatementError)?.message(l) ?? "\(error)")
      }
      let period = BankImport.period(s)
      return LoadedStatement(
        payments: BankImport.accountingPayments(s), from: period?.from ?? "",
        to: period?.to ?? "", accounts: s.ourAccounts)
    }
  }

  static func readActs(language l: Language) -> ActsLoader {
    { path in
      let data: Data
      do {
        data = try Data(contentsOf: URL(fileURLWithPath: path))
      } catch {
        throw CRMError.unreadable(path: path, reason: error.localizedDescription)
      }
      do {
        return try EnterpriseDataReader.read(data).map {
          AccountingAct(
            number: $0.number, date: $0.date, inn: $0.counterpartyINN, name: $0.counterpartyName,
            total: $0.total)
        }
      } catch {
        let problem = (error as? EnterpriseDataError)?.message(l) ?? "\(error)"
        throw CRMError.invalid(field: path, problem: problem)
      }
    }
  }
}
