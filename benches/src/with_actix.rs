//! The same endpoints written by hand with actix-web 4 (feature `actix`): the types and
//! checks of the axum app (`hand.rs`), so the answers are the same byte for byte.

use std::sync::atomic::AtomicI64;

use actix_web::{web, App, HttpResponse, HttpServer};

use crate::hand::{
    self, check_item, check_page, invalid_body, next, summary, NewCheckedItem, NewItem, Page,
    PageQuery, Reading,
};

type Ids = web::Data<AtomicI64>;

fn invalid(loc: &str) -> HttpResponse {
    HttpResponse::UnprocessableEntity().json(invalid_body(loc))
}

async fn read_items(q: web::Query<PageQuery>) -> HttpResponse {
    HttpResponse::Ok().json(Page {
        skip: q.skip,
        limit: q.limit,
    })
}

async fn read_checked_items(q: web::Query<PageQuery>) -> HttpResponse {
    if let Err(loc) = check_page(&q) {
        return invalid(loc);
    }
    HttpResponse::Ok().json(Page {
        skip: q.skip,
        limit: q.limit,
    })
}

async fn create_item(ids: Ids, item: web::Json<NewItem>) -> HttpResponse {
    HttpResponse::Created().json(hand::item(next(&ids), item.into_inner()))
}

async fn create_checked_item(ids: Ids, item: web::Json<NewCheckedItem>) -> HttpResponse {
    if let Err(loc) = check_item(&item) {
        return invalid(loc);
    }
    HttpResponse::Created().json(hand::checked_item(next(&ids), item.into_inner()))
}

async fn ingest(readings: web::Json<Vec<Reading>>) -> HttpResponse {
    HttpResponse::Ok().json(summary(&readings))
}

/// Serves the app with one worker on 127.0.0.1 and prints its address, as `serve` does for
/// the other two.
pub(crate) fn serve() {
    actix_web::rt::System::new().block_on(async {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        println!("listening on {}", listener.local_addr().expect("address"));
        let ids = Ids::new(AtomicI64::new(0));
        HttpServer::new(move || {
            App::new()
                .app_data(ids.clone())
                .service(
                    web::resource("/items/")
                        .route(web::get().to(read_items))
                        .route(web::post().to(create_item)),
                )
                .service(
                    web::resource("/checked/items/")
                        .route(web::get().to(read_checked_items))
                        .route(web::post().to(create_checked_item)),
                )
                .service(web::resource("/readings/").route(web::post().to(ingest)))
        })
        .workers(1)
        .listen(listener)
        .expect("listen")
        .run()
        .await
        .expect("serve");
    });
}
