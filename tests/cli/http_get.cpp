#include "http_get.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <unistd.h>

namespace plugdb::test {

std::pair<int, std::string> httpGet(int port, const std::string& path) {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, path);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::istream& body = session.receiveResponse(response);
    std::string text;
    Poco::StreamCopier::copyToString(body, text);
    return {static_cast<int>(response.getStatus()), text};
}

std::optional<int> listeningPort(Child& child) {
    const auto line = child.readLine(10000);
    if (!line || !line->starts_with("listening on http://127.0.0.1:")) return std::nullopt;
    return std::stoi(line->substr(line->rfind(':') + 1));
}

std::pair<int, std::string> pollReady(int port, const std::string& expected, int attempts) {
    std::pair<int, std::string> ready;
    for (int attempt = 0; attempt < attempts; ++attempt) {
        ready = httpGet(port, "/ready");
        if (ready.second.find(expected) != std::string::npos) break;
        usleep(50'000);
    }
    return ready;
}

}  // namespace plugdb::test
