#include "http_get.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <unistd.h>

namespace plugdb::test {

HttpReply httpGet(int port, const std::string& path) {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, path);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::istream& body = session.receiveResponse(response);
    HttpReply reply{static_cast<int>(response.getStatus()), response.getContentType(), {}};
    Poco::StreamCopier::copyToString(body, reply.body);
    return reply;
}

std::optional<int> listeningPort(Child& child) {
    const auto line = child.readLine(10000);
    if (!line || !line->starts_with("listening on http://127.0.0.1:")) return std::nullopt;
    return std::stoi(line->substr(line->rfind(':') + 1));
}

HttpReply pollUntil(int port, const std::string& path,
                    const std::function<bool(const HttpReply&)>& done, int attempts) {
    HttpReply reply;
    for (int attempt = 0; attempt < attempts; ++attempt) {
        reply = httpGet(port, path);
        if (done(reply)) break;
        usleep(50'000);
    }
    return reply;
}

}  // namespace plugdb::test
