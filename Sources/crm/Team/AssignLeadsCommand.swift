import ArgumentParser
import CRMApp
import CRMCore
import CRMExchange
import Foundation

// MARK: crm assign-leads

struct AssignLeads: CRMCommand {
  static let configuration = CommandConfiguration(
    commandName: "assign-leads",
    abstract: tr(
      "Give every live client without an owner to a manager by the lead rule.",
      "Раздать менеджерам всех действующих клиентов без ответственного по правилу лидов."),
    discussion: tr(
      """
      The rule is the lead_rule setting (round_robin, least_busy, segment, region) unless --rule \
      names one. Every assignment is logged (lead_assignment) and audited. Supervisors and \
      admins only; --dry-run shows who would get how many and changes nothing.
      """,
      """
      Правило — настройка lead_rule (round_robin, least_busy, segment, region), если --rule \
      не называет другое. Каждое назначение записывается (lead_assignment) и в журнал изменений. \
      Только руководители и администраторы; --dry-run показывает, кто сколько получит, ничего не меняя.
      """))
  @OptionGroup var global: Global
  @Option(
    help: tr(
      "round_robin, least_busy, segment or region (default: the lead_rule setting).",
      "round_robin, least_busy, segment или region (по умолчанию: настройка lead_rule)."))
  var rule: String?
  @Option(
    help: tr(
      "At most this many clients (oldest first).",
      "Не больше стольких клиентов (сначала самые старые).")) var limit: Int?
  @Flag(
    help: tr(
      "Only say who would get how many.",
      "Только сказать, кто сколько получит.")) var dryRun = false
  @OptionGroup var output: JSONOutput

  /// The rule `--rule` names (nil: the lead_rule setting).
  var chosen: LeadRule? { rule.flatMap { LeadRule(rawValue: $0.lowercased()) } }

  func check() throws {
    let l = global.language
    if let rule, chosen == nil || chosen == .off {
      throw Failure(
        message: l.pick(
          "--rule: unknown rule «\(rule)»; use round_robin, least_busy, segment or region",
          "--rule: неизвестное правило «\(rule)»; допустимые: round_robin, least_busy, segment, region"
        ), code: 1)
    }
  }

  func run(_ session: Session) throws {
    let l = global.language
    let run = try session.context.leads.distribute(rule: chosen, limit: limit, dryRun: dryRun)
    if output.json {
      printJSON(
        [
          "rule": run.rule.rawValue, "dry_run": dryRun, "assigned": run.assigned.count,
          "users": run.perUser.map { ["user": $0.login, "leads": $0.count] as [String: Any] },
        ] as [String: Any])
      return
    }
    if run.assigned.isEmpty {
      print(l.pick("No clients without an owner.", "Клиентов без владельца нет."))
      return
    }
    print(
      l.pick(
        "\(dryRun ? "Would assign" : "Assigned") \(run.assigned.count) clients by \(run.rule.rawValue):",
        "\(dryRun ? "Будет роздано" : "Роздано") клиентов: \(run.assigned.count), правило \(run.rule.rawValue):"
      ))
    for u in run.perUser {
      print(
        "  " + tableLine([u.login, String(u.count)], [Col(width: 20), Col(width: 8, right: true)]))
    }
  }
}
