import ArgumentParser
import CRMApp
import CRMCore
import CRMExchange
import Foundation
import TerminalUI

#if canImport(Glibc)
  import Glibc
#endif

// MARK: crm handover

struct Handover: CRMCommand {
  static let configuration = CommandConfiguration(
    commandName: "handover",
    abstract: tr(
      "Give a user's clients (all, or --client …) to another user.",
      "Передать клиентов пользователя (всех или --client …) другому пользователю."),
    discussion: tr(
      "Their planned contacts move along; open deals too with --with-deals.",
      "Их запланированные контакты переходят вместе с ними; открытые сделки — с --with-deals."))
  @OptionGroup var global: Global
  @Option(
    help: tr(
      "Login of the current owner.",
      "Логин текущего ответственного.")) var from: String
  @Option(
    help: tr(
      "Login of the new owner (must be active).",
      "Логин нового ответственного (должен быть активен).")) var to: String
  @Option(
    help: tr(
      "Only this client; repeat for several.",
      "Только этот клиент; повторите для нескольких.")) var client: [Int64] = []
  @Flag(
    help: tr(
      "Move open deals too.",
      "Передать и открытые сделки.")) var withDeals = false
  @Flag(
    help: tr(
      "Only say what would move.",
      "Только сказать, что перейдёт.")) var dryRun = false
  @OptionGroup var output: JSONOutput

  func run(_ session: Session) throws {
    let database = session.database
    let source = try global.existingUser(database, from)
    let target = try global.existingUser(database, to)
    let l = global.language
    let result: Moved
    if dryRun {
      result = try preview(session, source, target)
    } else {
      let done = try session.context.contacts.handover(
        from: source.id, to: target.id, clientIds: client.isEmpty ? nil : client,
        withDeals: withDeals)
      result = Moved(clients: done.clients, contacts: done.contacts, deals: done.deals)
    }
    if output.json {
      printJSON(
        ContactJSON.handover(
          from: from, to: to, clients: result.clients, contacts: result.contacts,
          deals: result.deals, dryRun: dryRun))
      return
    }
    var text = l.pick(
      "\(dryRun ? "Would move" : "Moved") from \(from) to \(to): clients \(result.clients), "
        + "planned contacts \(result.contacts)",
      "\(dryRun ? "Будет передано" : "Передано") от \(from) к \(to): клиентов \(result.clients), "
        + "запланированных контактов \(result.contacts)")
    if withDeals { text += l.pick(", deals \(result.deals)", ", сделок \(result.deals)") }
    print(text)
  }

  /// What a handover would move, read without writing. The core has no dry run, so this repeats
  /// its checks and counts with reads; open deals of those clients that `from` owns count with
  /// `--with-deals`.
  /// `HandoverResult` has no public initializer, so the dry run counts into this.
  struct Moved {
    var clients: Int
    var contacts: Int
    var deals: Int
  }

  func preview(_ session: Session, _ source: User, _ target: User) throws -> Moved {
    let ctx = session.context
    let l = global.language
    if !target.active {
      throw fail(
        .invalid(
          field: target.login,
          problem: l.pick(
            "is deactivated; choose an active user",
            "деактивирован; выберите активного пользователя")), global)
    }
    if source.id == target.id {
      throw fail(
        .invalid(
          field: "--to",
          problem: l.pick(
            "is the same user as --from; nothing to hand over",
            "тот же пользователь, что и --from; передавать нечего")), global)
    }
    var ids = client
    for id in ids {
      guard let c = try ctx.clients.client(id) else {
        throw fail(.notFound(what: l.pick("client", "клиент"), id: id), global)
      }
      if c.ownerId != source.id {
        throw fail(
          .invalid(
            field: l.pick("client №\(id)", "клиент №\(id)"),
            problem: l.pick("does not belong to \(from)", "не принадлежит \(from)")), global)
      }
    }
    if ids.isEmpty {
      ids = try session.database.ids(ClientListQuery(ownerId: source.id))
    }
    var contacts = 0
    var deals = 0
    for id in ids {
      contacts +=
        try ctx.contacts.list(
          scope: .user(source.id), clientId: id, status: .planned, limit: Int(Int32.max)
        ).count
      if withDeals {
        deals +=
          try ctx.deals.list(
            DealFilter(ownerId: source.id, clientId: id), status: .open, limit: Int(Int32.max)
          ).count
      }
    }
    return Moved(clients: ids.count, contacts: contacts, deals: deals)
  }
}
