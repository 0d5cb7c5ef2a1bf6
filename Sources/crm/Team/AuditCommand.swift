import ArgumentParser
import CRMCore
import CRMExchange
import Foundation
import TerminalUI

#if canImport(Glibc)
  import Glibc
#endif

// MARK: crm audit

/// `crm audit`: the audit log, newest first. `--by` filters by author because `--user` is the
/// global option naming who runs the command.
struct AuditCommand: CRMCommand {
  static let configuration = CommandConfiguration(
    commandName: "audit",
    abstract: tr(
      "The audit log: who changed what and when, newest first.",
      "Журнал изменений: кто что и когда изменил, сначала новые."),
    discussion: tr(
      """
      Supervisors and admins read everyone's changes; a manager reads only their own. Text: one \
      line per change, up to --limit changes; JSON: one object per changed field, up to --limit \
      rows. The next page: --before with the id the last line names.
      """,
      """
      Руководители и администраторы видят изменения всех, менеджер — только свои. Текст: строка \
      на изменение, не больше --limit изменений; JSON: объект на каждое изменённое поле, не больше \
      --limit строк. Следующая страница: --before с номером, который назван в последней строке.
      """))
  @OptionGroup var global: Global
  @Option(
    help: tr(
      "Only changes by this user (login); --user is who runs the command.",
      "Только изменения этого пользователя (логин); --user — кто запускает команду."))
  var by: String?
  @Option(
    help:
      tr(
        "client, person, contact, deal, offer, contract, invoice, payment, act, user, task, campaign, target, filter, setting.",
        "client, person, contact, deal, offer, contract, invoice, payment, act, user, task, campaign, target, filter, setting (объект изменения)."
      )
  )
  var entity: String?
  @Option(
    help: tr(
      "insert, update, delete, restore, done, handover, merge, bulk… (crm audit --help).",
      "insert, update, delete, restore, done, handover, merge, bulk… (действие; crm audit --help).")
  )
  var action: String?
  @Option(
    help: tr(
      "Only this client's changes (id).",
      "Только изменения этого клиента (номер).")) var client: Int64?
  @Option(
    parsing: .unconditional,
    help: tr(
      "From this day (included): 01.11.2026, 2026-11-01, -30d.",
      "С этого дня (включительно): 01.11.2026, 2026-11-01, -30d."))
  var from: String?
  @Option(
    parsing: .unconditional,
    help: tr(
      "To this day (included).",
      "По этот день (включительно).")) var to: String?
  @Option(
    help: tr(
      "How many changes (text, 1–1000, default 50) or rows (JSON, default: every row).",
      "Сколько изменений (текст, 1–1000, по умолчанию 50) или строк (JSON, по умолчанию все)."))
  var limit: Int?
  @Option(
    help: tr(
      "Entries older than this audit id (the next page).",
      "Записи старше этого номера журнала (следующая страница).")) var before: Int64?
  @Flag(
    help: tr(
      "JSON: one object per changed field.",
      "JSON: объект на каждое изменённое поле.")) var json = false

  func check() throws {
    let l = global.language
    if let limit, !(1...1000).contains(limit) && !(json && limit > 0) {
      throw Failure(
        message: l.pick(
          "--limit: from 1 to 1000, not \(limit)", "--limit: от 1 до 1000, а не \(limit)"),
        code: 1)
    }
    if let entity {
      guard AuditLog.entity(entity) != nil else {
        let all = AuditQuery.entities.joined(separator: ", ")
        throw Failure(
          message: l.pick(
            "--entity: unknown «\(entity)»; use one of: \(all)",
            "--entity: неизвестный вид «\(entity)»; допустимые: \(all)"), code: 1)
      }
    }
    if let action, !AuditQuery.actions.contains(action) {
      let all = AuditQuery.actions.joined(separator: ", ")
      throw Failure(
        message: l.pick(
          "--action: unknown «\(action)»; use one of: \(all)",
          "--action: неизвестное действие «\(action)»; допустимые: \(all)"), code: 1)
    }
  }

  func run(_ session: Session) throws {
    let l = global.language
    let entityKey = entity.flatMap(AuditLog.entity)
    let times = try Times(global, session.database)
    let fromDate = try from.map(times.from)
    let toDate = try to.map(times.to)
    if let fromDate, let toDate, toDate <= fromDate {
      throw Failure(
        message: l.pick(
          "--to: the period ends before it starts (--from)",
          "--to: период заканчивается раньше, чем начинается (--from)"), code: 1)
    }
    let log = session.context.audit
    var query = AuditQuery(
      entity: entityKey, action: action, clientId: client, from: fromDate, to: toDate)
    if let by {
      query.userId = try log.user(login: by, option: "--by").id
    }
    var cursor: AuditCursor?
    if let before {
      guard let c = try log.cursor(before: before) else {
        throw Failure(
          message: l.pick(
            "--before: there is no audit entry \(before)", "--before: нет записи журнала \(before)"),
          code: 1)
      }
      cursor = c
    }
    if json {
      printJSON(try log.rows(query, before: cursor, limit: limit ?? everyRow).map(Self.object))
      return
    }
    let page = try log.changes(query, before: cursor, limit: limit ?? 50)
    if log.ownOnly {
      print(l.pick("Only your own changes (manager).", "Только ваши изменения (менеджер)."))
    }
    if page.changes.isEmpty {
      print(l.pick("No changes match.", "Изменений не найдено."))
      return
    }
    for c in page.changes { print(Self.line(c, log, global.formats)) }
    if let next = page.next {
      print(l.pick("next page: --before \(next.id)", "дальше: --before \(next.id)"))
    }
  }

  /// `23.11.2026 14:05  anna  клиент «Альфа»  изменено: телефоны, город`.
  static func line(_ c: AuditChange, _ log: AuditLog, _ f: Formats) -> String {
    "\(f.dateTime(c.at))  \(c.user)  \(log.object(c))  \(log.actionName(c.action)): "
      + log.fieldList(c)
  }

  static func object(_ r: AuditRow) -> [String: Any] {
    [
      "id": r.id, "change_id": r.changeId, "at": JSONText.isoText(r.at), "user": r.user,
      "client_id": r.clientId, "client": r.client, "entity": r.entity, "entity_id": r.entityId,
      "action": r.action, "field": r.field, "old": r.old ?? NSNull(), "new": r.new ?? NSNull(),
    ]
  }
}
