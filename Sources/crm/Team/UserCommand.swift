import ArgumentParser
import CRMCore
import Foundation
import TerminalUI

#if canImport(Glibc)
  import Glibc
#endif

extension UserRole: ExpressibleByArgument {}

/// `crm user`: users, roles, teams; every change is for admins.
struct UserCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "user",
    abstract: tr(
      "Users and roles: add, list, set-role, set-team, set-name, deactivate, activate.",
      "Пользователи и роли: add, list, set-role, set-team, set-name, deactivate, activate."),
    discussion: tr(
      "Changes are for admins; see docs/team.md.",
      "Изменения — для администраторов; см. docs/team.md."),
    subcommands: [
      Add.self, List.self, SetRole.self, SetTeam.self, SetName.self, Deactivate.self,
      Activate.self,
    ])

  struct Add: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "add",
      abstract: tr(
        "Add a user (admin).",
        "Добавить пользователя (администратор)."))
    @OptionGroup var global: Global
    @Argument(
      help: tr(
        "Login (as the OS user, or any one word).",
        "Логин (как у пользователя ОС или любое одно слово).")) var login: String
    @Option(
      help: tr(
        "manager, supervisor or admin.",
        "manager, supervisor или admin (менеджер, руководитель, администратор).")) var role:
      UserRole
    @Option(
      help: tr(
        "Full name (default: the login).",
        "Полное имя (по умолчанию: логин).")) var name = ""
    @Option(
      help: tr(
        "Team (users of one team see each other's clients under visibility team).",
        "Команда (пользователи одной команды видят клиентов друг друга при visibility team)."))
    var team = ""

    func run(_ session: Session) throws {
      let admin = session.context.users
      let u = try admin.add(login: login, role: role, name: name, team: team)
      print(
        global.language.pick(
          "Added \(u.login) (\(u.role.rawValue)).", "Добавлен \(u.login) (\(u.role.rawValue))."))
    }
  }

  struct List: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "list",
      abstract: tr(
        "Every user: login, name, role, team, active, clients owned.",
        "Все пользователи: логин, имя, роль, команда, активен ли, сколько клиентов."))
    @OptionGroup var global: Global
    @OptionGroup var output: JSONOutput

    func run(_ session: Session) throws {
      let admin = session.context.users
      let rows = try admin.list()
      if output.json {
        printJSON(
          rows.map {
            [
              "id": $0.user.id, "login": $0.user.login, "name": $0.user.name,
              "role": $0.user.role.rawValue, "team": $0.user.team, "active": $0.user.active,
              "clients": $0.clients,
            ] as [String: Any]
          })
        return
      }
      let l = global.language
      for r in rows {
        let u = r.user
        let cols = [
          TextWidth.fit(u.login, to: 16), TextWidth.fit(u.name, to: 24),
          TextWidth.fit(u.role.rawValue, to: 10), TextWidth.fit(u.team, to: 12),
          TextWidth.fit(u.active ? "" : l.pick("off", "откл."), to: 6), String(r.clients),
        ]
        print(cols.joined(separator: "  "))
      }
    }
  }

  struct SetRole: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "set-role",
      abstract: tr(
        "Give a user another role (admin).",
        "Дать пользователю другую роль (администратор)."))
    @OptionGroup var global: Global
    @Argument(help: tr("The user's login.", "Логин пользователя.")) var login: String
    @Argument(
      help: tr(
        "manager, supervisor or admin.",
        "manager, supervisor или admin (менеджер, руководитель, администратор).")) var role:
      UserRole

    func run(_ session: Session) throws {
      let admin = session.context.users
      try admin.setRole(login, role)
    }
  }

  struct SetTeam: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "set-team",
      abstract: tr(
        "Put a user in a team; \"\" takes them out (admin).",
        "Включить пользователя в команду; \"\" исключает (администратор)."))
    @OptionGroup var global: Global
    @Argument(help: tr("The user's login.", "Логин пользователя.")) var login: String
    @Argument(
      help: tr("The team (\"\" takes the user out).", "Команда (\"\" — исключить из команды)."))
    var team: String

    func run(_ session: Session) throws {
      let admin = session.context.users
      try admin.setTeam(login, team)
    }
  }

  struct SetName: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "set-name",
      abstract: tr(
        "Change a user's full name (admin).",
        "Изменить полное имя пользователя (администратор)."))
    @OptionGroup var global: Global
    @Argument(help: tr("The user's login.", "Логин пользователя.")) var login: String
    @Argument(help: tr("Full name.", "Полное имя.")) var name: String

    func run(_ session: Session) throws {
      let admin = session.context.users
      try admin.setName(login, name)
    }
  }

  struct Deactivate: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "deactivate",
      abstract: tr(
        "Switch a user off; their clients, open deals and plans go to --move-to (admin).",
        "Отключить пользователя; его клиенты, открытые сделки и планы переходят к --move-to (администратор)."
      ),
      discussion:
        tr(
          "A user who still holds clients needs --move-to; in a terminal crm asks for the login.",
          "Пользователю, у которого ещё есть клиенты, нужен --move-to; в терминале crm спросит логин."
        ))
    @OptionGroup var global: Global
    @Argument(help: tr("The user's login.", "Логин пользователя.")) var login: String
    @Option(
      help: tr(
        "Give their clients, open deals and planned contacts to this active user.",
        "Отдать его клиентов, открытые сделки и запланированные контакты этому активному пользователю."
      ))
    var moveTo: String?
    @Flag(
      help: tr(
        "Do not ask.",
        "Не спрашивать.")) var yes = false

    func run(_ session: Session) throws {
      let admin = session.context.users
      let l = global.language
      var target = moveTo
      if target == nil {
        try admin.db.require([.admin], to: "crm user deactivate", language: l)
        let held = try admin.holdings(login)
        if !held.isEmpty {
          guard !yes, isatty(0) == 1 else {
            throw Failure(message: admin.holdingText(login, held), code: 1)
          }
          StandardOutput.error(
            l.pick(
              "«\(login)» has \(held.clients) clients, \(held.deals) open deals and \(held.contacts) planned contacts. Give them to (login, empty to cancel): ",
              "у «\(login)» клиентов: \(held.clients), открытых сделок: \(held.deals), запланированных контактов: \(held.contacts). Кому передать (логин, пусто — отмена): "
            ), newline: false)
          let answer = (readLine() ?? "").trimmingCharacters(in: .whitespaces)
          guard !answer.isEmpty else {
            throw Failure(
              message: l.pick("cancelled; nothing changed", "отменено; ничего не изменено"), code: 1
            )
          }
          target = answer
        }
      }
      let done = try admin.deactivate(login, moveTo: target)
      var text = l.pick("Deactivated \(login).", "\(login) отключён.")
      if let to = done.movedTo {
        let m = done.moved
        text += l.pick(
          " Moved to \(to): clients \(m.clients), open deals \(m.deals), planned contacts \(m.contacts).",
          " Передано \(to): клиентов \(m.clients), открытых сделок \(m.deals), запланированных контактов \(m.contacts)."
        )
      }
      print(text)
    }
  }

  struct Activate: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "activate",
      abstract: tr(
        "Switch a deactivated user back on (admin).",
        "Снова включить отключённого пользователя (администратор)."))
    @OptionGroup var global: Global
    @Argument(help: tr("The user's login.", "Логин пользователя.")) var login: String

    func run(_ session: Session) throws {
      let admin = session.context.users
      try admin.activate(login)
    }
  }
}
