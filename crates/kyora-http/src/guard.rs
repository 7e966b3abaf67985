//! The request chain of spec 01 §3.1 as extractors a route attaches:
//! authentication → valid actor ([`CurrentUser`]) → workspace membership ([`Member`]) →
//! permission ([`Authorized`]) → active subscription ([`Subscribed`]). Each step runs only when
//! the previous one passed, in that order; plan feature and limit gates are applied by the handler
//! on the [`Subscribed`] plan (a limit needs the domain's usage counter).
//!
//! Business-scoped routes (`/v1/businesses/{businessDescriptor}/…`, spec 02 §3.0) resolve the
//! business between membership and permission: [`BusinessScoped`] (… → membership → business
//! resolution → permission) and [`BusinessSubscribed`] (… → active subscription). An unknown,
//! malformed or foreign descriptor is a 404 "business not found" with no code, even for an actor
//! who lacks the permission.

use std::marker::PhantomData;

use actix_web::dev::Payload;
use actix_web::http::header::AUTHORIZATION;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use futures::future::LocalBoxFuture;
use kyora_core::DomainError;
use kyora_core::account::error as account_error;
use kyora_core::account::{ClientInfo, User, Workspace};
use kyora_core::billing::gates::ActivePlan;
use kyora_core::business::Business;
use kyora_core::shared::actor::{Action, Actor, Permission, Resource};

use crate::middleware::client_ip;
use crate::problem::ApiError;
use crate::state::AppState;

fn state(req: &HttpRequest) -> Result<web::Data<AppState>, ApiError> {
    req.app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| ApiError(DomainError::internal("application state missing")))
}

/// The bearer token of the `Authorization` header (`Bearer ` is case-sensitive).
fn bearer(req: &HttpRequest) -> Result<String, ApiError> {
    req.headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_owned)
        .ok_or_else(|| ApiError(account_error::unauthorized()))
}

/// The authenticated user, re-read from the database (authentication → valid actor).
#[derive(Debug, Clone)]
pub struct CurrentUser(pub User);

async fn current_user(req: &HttpRequest) -> Result<User, ApiError> {
    if let Some(user) = req.extensions().get::<CurrentUser>() {
        return Ok(user.0.clone());
    }
    let token = bearer(req)?;
    let state = state(req)?;
    let user = state.accounts.authenticate(&token).await?;
    tracing::Span::current().record("user_id", user.id.as_str());
    req.extensions_mut().insert(CurrentUser(user.clone()));
    Ok(user)
}

impl FromRequest for CurrentUser {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { current_user(&req).await.map(Self) })
    }
}

/// A user of an existing workspace (… → workspace membership).
#[derive(Debug, Clone)]
pub struct Member {
    pub user: User,
    pub workspace: Workspace,
    pub actor: Actor,
}

async fn member(req: &HttpRequest) -> Result<Member, ApiError> {
    let user = current_user(req).await?;
    let workspace = state(req)?.accounts.workspace_of(&user).await?;
    let actor = user.actor();
    Ok(Member {
        user,
        workspace,
        actor,
    })
}

impl FromRequest for Member {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { member(&req).await })
    }
}

/// A permission a route requires, as a type.
pub trait RequiredPermission: 'static {
    /// The permission.
    const PERMISSION: Permission;
}

macro_rules! permissions {
    ($($name:ident = $action:ident $resource:ident;)*) => {
        $(
            #[doc = concat!("`", stringify!($action), ":", stringify!($resource), "`.")]
            #[derive(Debug)]
            pub struct $name;
            impl RequiredPermission for $name {
                const PERMISSION: Permission = Permission::new(Action::$action, Resource::$resource);
            }
        )*
    };
}

permissions! {
    ViewAccount = View Account;
    ManageAccount = Manage Account;
    ViewBilling = View Billing;
    ManageBilling = Manage Billing;
    ViewBusiness = View Business;
    ManageBusiness = Manage Business;
    ViewCustomer = View Customer;
    ManageCustomer = Manage Customer;
    ViewOrder = View Order;
    ManageOrder = Manage Order;
    ViewInventory = View Inventory;
    ManageInventory = Manage Inventory;
    ViewAccounting = View Accounting;
    ManageAccounting = Manage Accounting;
    ViewBasicAnalytics = View BasicAnalytics;
    ViewBasicFinancialReports = View BasicFinancialReports;
}

/// A member holding `P` (… → permission).
#[derive(Debug)]
pub struct Authorized<P> {
    pub member: Member,
    _permission: PhantomData<P>,
}

async fn authorized<P: RequiredPermission>(req: &HttpRequest) -> Result<Authorized<P>, ApiError> {
    let member = member(req).await?;
    member.actor.require(P::PERMISSION)?;
    Ok(Authorized {
        member,
        _permission: PhantomData,
    })
}

impl<P: RequiredPermission> FromRequest for Authorized<P> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { authorized::<P>(&req).await })
    }
}

/// A member holding `P` whose workspace has an active (or trialing) subscription.
#[derive(Debug)]
pub struct Subscribed<P> {
    pub member: Member,
    pub plan: ActivePlan,
    _permission: PhantomData<P>,
}

impl<P: RequiredPermission> FromRequest for Subscribed<P> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let Authorized { member, .. } = authorized::<P>(&req).await?;
            let plan = state(&req)?
                .gates
                .active_subscription(&member.actor.workspace_id)
                .await?;
            Ok(Self {
                member,
                plan,
                _permission: PhantomData,
            })
        })
    }
}

/// The path parameter holding the business descriptor of business-scoped routes.
pub const BUSINESS_DESCRIPTOR_PARAM: &str = "businessDescriptor";

/// A member, the business of the route's `{businessDescriptor}` resolved in the member's
/// workspace (archived ones included), and the permission `P` (… → membership → business
/// resolution → permission).
#[derive(Debug)]
pub struct BusinessScoped<P> {
    pub member: Member,
    pub business: Business,
    _permission: PhantomData<P>,
}

async fn business_scoped<P: RequiredPermission>(
    req: &HttpRequest,
) -> Result<(Member, Business), ApiError> {
    let member = member(req).await?;
    let descriptor = req
        .match_info()
        .get(BUSINESS_DESCRIPTOR_PARAM)
        .ok_or_else(|| DomainError::internal("a business-scoped route without a descriptor"))?;
    let business = state(req)?
        .businesses
        .resolve(&member.actor, descriptor)
        .await?;
    member.actor.require(P::PERMISSION)?;
    Ok((member, business))
}

impl<P: RequiredPermission> FromRequest for BusinessScoped<P> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let (member, business) = business_scoped::<P>(&req).await?;
            Ok(Self {
                member,
                business,
                _permission: PhantomData,
            })
        })
    }
}

/// [`BusinessScoped`] whose workspace also has an active (or trialing) subscription (… →
/// billing gate).
#[derive(Debug)]
pub struct BusinessSubscribed<P> {
    pub member: Member,
    pub business: Business,
    pub plan: ActivePlan,
    _permission: PhantomData<P>,
}

impl<P: RequiredPermission> FromRequest for BusinessSubscribed<P> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let (member, business) = business_scoped::<P>(&req).await?;
            let plan = state(&req)?
                .gates
                .active_subscription(&member.actor.workspace_id)
                .await?;
            Ok(Self {
                member,
                business,
                plan,
                _permission: PhantomData,
            })
        })
    }
}

/// Where the request came from.
#[derive(Debug, Clone)]
pub struct Client(pub ClientInfo);

impl FromRequest for Client {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let user_agent = req
            .headers()
            .get(actix_web::http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .trim()
            .to_owned();
        std::future::ready(Ok(Self(ClientInfo {
            ip: client_ip(req),
            user_agent,
        })))
    }
}
