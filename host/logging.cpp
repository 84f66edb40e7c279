#include "logging.h"

#include <Poco/AutoPtr.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Formatter.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Message.h>
#include <Poco/StreamChannel.h>

#include <iostream>

#include "output.h"
#include "plugdb/error.h"
#include "plugdb/secrets.h"
#include "plugdb/settings.h"

namespace plugdb::host {
namespace {

const char* levelName(Poco::Message::Priority priority) {
    switch (priority) {
        case Poco::Message::PRIO_FATAL:
            return "fatal";
        case Poco::Message::PRIO_CRITICAL:
            return "critical";
        case Poco::Message::PRIO_ERROR:
            return "error";
        case Poco::Message::PRIO_WARNING:
            return "warning";
        case Poco::Message::PRIO_NOTICE:
            return "notice";
        case Poco::Message::PRIO_INFORMATION:
            return "info";
        case Poco::Message::PRIO_DEBUG:
            return "debug";
        case Poco::Message::PRIO_TRACE:
            return "trace";
    }
    return "info";
}

// One line per event, plain or JSON, with secrets masked.
class LineFormatter : public Poco::Formatter {
public:
    explicit LineFormatter(bool json) : json_(json) {}

    void format(const Poco::Message& msg, std::string& text) override {
        const std::string time =
            Poco::DateTimeFormatter::format(msg.getTime(), "%Y-%m-%dT%H:%M:%S.%iZ");
        const std::string message = secrets::mask(msg.getText());
        if (json_) {
            text = "{\"time\":" + jsonString(time) +
                   ",\"level\":" + jsonString(levelName(msg.getPriority())) +
                   ",\"logger\":" + jsonString(msg.getSource()) +
                   ",\"message\":" + jsonString(message) + "}";
        } else {
            text =
                time + " " + levelName(msg.getPriority()) + " " + msg.getSource() + ": " + message;
        }
    }

private:
    bool json_;
};

}  // namespace

void configureLogging(const Config& config) {
    const std::string format = settings::text(config, "log.format");
    if (format != "plain" && format != "json")
        throw Error(ErrorCategory::Config,
                    "log.format must be plain or json, not '" + format + "'");
    Poco::AutoPtr<Poco::Channel> console(new Poco::StreamChannel(std::cerr));
    Poco::AutoPtr<Poco::Formatter> formatter(new LineFormatter(format == "json"));
    Poco::AutoPtr<Poco::Channel> channel(new Poco::FormattingChannel(formatter, console));
    std::string level = settings::text(config, "log.level");
    if (level == "info") level = "information";
    try {
        Poco::Logger::root().setChannel(channel);
        Poco::Logger::root().setLevel(level);
        logger().setChannel(channel);
        logger().setLevel(level);
    } catch (const Poco::Exception&) {
        throw Error(ErrorCategory::Config,
                    "log.level must be one of error, warning, information, debug, trace; not '" +
                        level + "'");
    }
}

Poco::Logger& logger() {
    return Poco::Logger::get("plugdb");
}

}  // namespace plugdb::host
