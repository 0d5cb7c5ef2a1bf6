import ArgumentParser
import CRMApp
import CRMCore
import CRMExchange
import Foundation
import TerminalUI

#if canImport(Glibc)
  import Glibc
#endif

// MARK: crm settings

struct SettingsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "settings",
    abstract: tr(
      "Show and change settings: \(Settings.keys.joined(separator: ", ")).",
      "Показать и изменить настройки: \(Settings.keys.joined(separator: ", "))."),
    subcommands: [List.self, Get.self, SetValue.self])

  struct List: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "list",
      abstract: tr(
        "Every setting and its value.",
        "Все настройки и их значения."))
    @OptionGroup var global: Global
    @OptionGroup var output: JSONOutput

    func run(_ session: Session) throws {
      let database = session.database
      let s = try database.settings()
      if output.json {
        printJSON(ContactJSON.object(s))
        return
      }
      for key in Settings.keys { print("\(key) = \(s.value(key) ?? "")") }
    }
  }

  struct Get: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "get",
      abstract: tr(
        "Print one setting's value.",
        "Вывести значение одной настройки."))
    @OptionGroup var global: Global
    @Argument(help: tr("The setting's name.", "Название настройки.")) var key: String

    func run(_ session: Session) throws {
      let database = session.database
      let s = try database.settings()
      if UserConfig.keys.contains(key) {
        throw Failure(
          message: global.language.pick(
            "\(key) is not kept in the database: commands come only from your own "
              + "\(UserConfig.path(global.env)) or the command line",
            "\(key) не хранится в базе: команды берутся только из вашего "
              + "\(UserConfig.path(global.env)) или из командной строки"), code: 1)
      }
      guard Settings.keys.contains(key), let v = s.value(key) else {
        throw Failure(
          message: global.language.pick(
            "\(key): no such setting; known: \(Settings.keys.joined(separator: ", "))",
            "\(key): такой настройки нет; есть: \(Settings.keys.joined(separator: ", "))"),
          code: 1)
      }
      print(v)
    }
  }

  struct SetValue: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "set",
      abstract: tr(
        "Change one setting; prints the stored value.",
        "Изменить одну настройку; выводит сохранённое значение."))
    @OptionGroup var global: Global
    @Argument(help: tr("The setting's name.", "Название настройки.")) var key: String
    @Argument(help: tr("The new value.", "Новое значение.")) var value: String

    func run(_ session: Session) throws {
      let database = session.database
      let stored = try database.setSetting(key, value, language: global.language)
      print("\(key) = \(stored)")
    }
  }
}
