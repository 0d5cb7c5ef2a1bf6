import ArgumentParser
import CRMApp
import CRMCore
import CRMExchange
import Foundation

// MARK: crm filter

struct FilterCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "filter",
    abstract: tr(
      "Saved client filters (a campaign's target).",
      "Сохранённые фильтры клиентов (цели кампаний)."),
    subcommands: [Save.self, List.self, Remove.self])

  struct Save: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "save",
      abstract: tr(
        "Save a client filter under NAME.",
        "Сохранить фильтр клиентов под именем NAME."))
    @OptionGroup var global: Global
    @Argument(
      help: tr(
        "The filter's name.",
        "Имя фильтра.")) var name: String
    @Option(
      help: tr(
        "Clients this search finds.",
        "Клиенты, которых находит этот поиск.")) var search: String?
    @Option(
      help: tr(
        "Clients of this segment.",
        "Клиенты этого сегмента.")) var segment: String?
    @Option(
      help: tr(
        "Clients of this owner (login).",
        "Клиенты этого ответственного (логин).")) var owner: String?
    @Option(
      help: tr(
        "Clients with this tag.",
        "Клиенты с этим тегом.")) var tag: String?
    @Option(
      help: tr(
        "Clients in this city.",
        "Клиенты из этого города.")) var city: String?
    @Flag(
      help: tr(
        "Replace a filter of the same name.",
        "Заменить фильтр с тем же именем.")) var replace = false
    @OptionGroup var output: JSONOutput

    func run(_ session: Session) throws {
      let service = session.context.filters
      let f = ClientFilter(
        search: search ?? "", segment: segment, owner: owner, tag: tag, city: city)
      let id = try service.save(name, f, replace: replace)
      let n = try service.count(f)
      output.show(
        ["id": id, "name": name, "query": f.json, "clients": n] as [String: Any],
        else: global.language.pick(
          "Filter «\(name)» saved: \(f.summary) (\(n) clients now).",
          "Фильтр «\(name)» сохранён: \(f.summary) (сейчас клиентов: \(n))."))
    }
  }

  struct List: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "list",
      abstract: tr(
        "Saved filters with how many clients each selects.",
        "Сохранённые фильтры и сколько клиентов отбирает каждый."))
    @OptionGroup var global: Global
    @OptionGroup var output: JSONOutput

    func run(_ session: Session) throws {
      let l = global.language
      let service = session.context.filters
      let all = try service.list()
      var counts: [Int64: Int] = [:]
      for f in all { counts[f.id] = (try? service.count(f.filter)) ?? 0 }
      if output.json {
        printJSON(
          all.map {
            [
              "id": $0.id, "name": $0.name, "query": $0.filter.json, "by": $0.createdBy,
              "clients": counts[$0.id] ?? 0,
            ] as [String: Any]
          })
        return
      }
      if all.isEmpty {
        print(l.pick("No saved filters.", "Сохранённых фильтров нет."))
        return
      }
      let cols = [Col(width: 20), Col(width: 8, right: true), Col(width: 40)]
      for f in all {
        print(tableLine([f.name, String(counts[f.id] ?? 0), f.filter.summary], cols))
      }
    }
  }

  struct Remove: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "remove",
      abstract: tr(
        "Remove a saved filter (campaigns keep their copy).",
        "Удалить сохранённый фильтр (у кампаний остаётся своя копия)."))
    @OptionGroup var global: Global
    @Argument(
      help: tr(
        "The filter's name.",
        "Имя фильтра.")) var name: String

    func run(_ session: Session) throws {
      let service = session.context.filters
      try service.remove(name)
      print(global.language.pick("Filter «\(name)» removed.", "Фильтр «\(name)» удалён."))
    }
  }
}
